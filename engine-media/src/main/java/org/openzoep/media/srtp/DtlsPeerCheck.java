package org.openzoep.media.srtp;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * What the DTLS client and server of one handshake share: our credentials, the check of the peer's
 * certificate against the signalled fingerprint, the use_srtp profile, and the reason a handshake
 * failed on our side (a fingerprint mismatch or missing profile, which BouncyCastle only reports as
 * a generic alert).
 *
 * <p>Thread: the handshake executor (written there; {@link #failure()} read after the handshake
 * task ends, {@link #peerClosedNotify} may run on a later drain task).
 */
final class DtlsPeerCheck {

    /** Modern suites only: ECDHE with ECDSA certificates and AES-GCM. */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };
    static final int SRTP_PROFILE = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;

    private final JcaTlsCrypto crypto;
    private final DtlsCertificate local;
    private final String remoteHashFunction;
    private final String remoteFingerprint;
    private final int timeoutMillis;
    private final Runnable onPeerClose;
    private volatile SrtpHandshakeException.Reason failure;
    private volatile String failureDetail;
    private volatile byte[] keyMaterial;

    DtlsPeerCheck(JcaTlsCrypto crypto, DtlsCertificate local, String remoteHashFunction, String remoteFingerprint,
            int timeoutMillis, Runnable onPeerClose) {
        this.crypto = crypto;
        this.local = local;
        this.remoteHashFunction = remoteHashFunction;
        this.remoteFingerprint = remoteFingerprint;
        this.timeoutMillis = timeoutMillis;
        this.onPeerClose = onPeerClose;
    }

    JcaTlsCrypto crypto() {
        return crypto;
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    SrtpHandshakeException.Reason failure() {
        return failure;
    }

    String failureDetail() {
        return failureDetail;
    }

    /** Our certificate and key, signing with ECDSA P-256 / SHA-256. */
    TlsCredentialedSigner credentials(TlsContext context) throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(local.der())});
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, local.privateKey(),
                chain, SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** RFC 5763 section 5: the peer's (self-signed) certificate must match the signalled fingerprint. */
    void checkPeerCertificate(Certificate certificate) throws IOException {
        if (certificate == null || certificate.isEmpty()) {
            throw fail(SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH, "the peer sent no certificate",
                    AlertDescription.handshake_failure);
        }
        byte[] der = certificate.getCertificateAt(0).getEncoded();
        String actual = DtlsCertificate.fingerprint(der, remoteHashFunction);
        if (!actual.equalsIgnoreCase(remoteFingerprint.trim())) {
            throw fail(SrtpHandshakeException.Reason.FINGERPRINT_MISMATCH,
                    "the peer's certificate has " + remoteHashFunction + " " + actual + ", signalled "
                            + remoteFingerprint, AlertDescription.bad_certificate);
        }
    }

    /** The use_srtp extension we offer (client) or select (server). */
    void addUseSrtp(Hashtable<Integer, byte[]> extensions) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {SRTP_PROFILE}, TlsUtils.EMPTY_BYTES));
    }

    /** Server side: the client must offer our profile. */
    void checkOffered(Hashtable<?, ?> clientExtensions) throws IOException {
        UseSRTPData data = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (data != null) {
            for (int p : data.getProtectionProfiles()) {
                if (p == SRTP_PROFILE) {
                    return;
                }
            }
        }
        throw fail(SrtpHandshakeException.Reason.NO_SRTP_PROFILE,
                "the client did not offer SRTP_AES128_CM_HMAC_SHA1_80", AlertDescription.handshake_failure);
    }

    /** Client side: the server must select our profile (and only it). */
    void checkSelected(Hashtable<?, ?> serverExtensions) throws IOException {
        UseSRTPData data = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (data == null || data.getProtectionProfiles().length != 1 || data.getProtectionProfiles()[0] != SRTP_PROFILE) {
            throw fail(SrtpHandshakeException.Reason.NO_SRTP_PROFILE,
                    "the server did not select SRTP_AES128_CM_HMAC_SHA1_80", AlertDescription.illegal_parameter);
        }
    }

    /**
     * Exports the SRTP keying material (RFC 5764 section 4.2: 2 * (16 + 14) bytes with
     * "EXTRACTOR-dtls_srtp" and no context); BouncyCastle allows it only in notifyHandshakeComplete.
     */
    void exportKeys(TlsContext context) {
        keyMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (16 + 14));
    }

    byte[] keyMaterial() {
        return keyMaterial;
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            onPeerClose.run();
        } else if (level == AlertLevel.fatal && failure == null) {
            failureDetail = "received fatal alert " + AlertDescription.getText(description);
        }
    }

    private TlsFatalAlert fail(SrtpHandshakeException.Reason reason, String detail, short alert) {
        if (failure == null) {
            failure = reason;
            failureDetail = detail;
        }
        return new TlsFatalAlert(alert, detail);
    }

    @SuppressWarnings("unchecked")
    static Vector<SignatureAndHashAlgorithm> signatureAlgorithms(TlsContext context) {
        return TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
    }
}
