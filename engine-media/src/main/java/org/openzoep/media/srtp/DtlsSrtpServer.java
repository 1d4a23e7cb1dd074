package org.openzoep.media.srtp;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsUtils;

/**
 * The DTLS 1.2 server (setup "passive") of DTLS-SRTP: requires the client's certificate and checks
 * it against the signalled fingerprint, requires use_srtp with SRTP_AES128_CM_HMAC_SHA1_80 and
 * selects it.
 *
 * <p>Thread: the handshake executor.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    private final DtlsPeerCheck check;

    DtlsSrtpServer(DtlsPeerCheck check) {
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
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        check.checkOffered(clientExtensions);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        check.addUseSrtp(extensions);
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                DtlsPeerCheck.signatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        check.checkPeerCertificate(clientCertificate);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return check.credentials(context);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        check.alertReceived(level, description);
    }
}
