package org.openzoep.media.srtp;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;

/**
 * The DTLS 1.2 client (setup "active") of DTLS-SRTP: offers use_srtp, sends our certificate when
 * asked, checks the server's against the signalled fingerprint.
 *
 * <p>Thread: the handshake executor.
 */
final class DtlsSrtpClient extends DefaultTlsClient {

    private final DtlsPeerCheck check;

    DtlsSrtpClient(DtlsPeerCheck check) {
        super(check.crypto());
        this.check = check;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        check.exportKeys(context);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsPeerCheck.CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return check.timeoutMillis();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        check.addUseSrtp(extensions);
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        check.checkSelected(serverExtensions);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                check.checkPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return check.credentials(context);
            }
        };
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        check.alertReceived(level, description);
    }
}
