package org.openzoep.xmpp.xml;

/**
 * Why a stream's XML was refused, with the RFC 6120 §4.9.3 stream error condition each maps to.
 */
public enum XmlViolation {
    /** Not well-formed XML, including invalid UTF-8 (§4.9.3.13). */
    NOT_WELL_FORMED("not-well-formed"),
    /** A DTD, comment, processing instruction or non-predefined entity (§4.9.3.18, §11.1). */
    RESTRICTED_XML("restricted-xml"),
    /** A limit of {@link XmlLimits} was exceeded (§4.9.3.14). */
    POLICY_VIOLATION("policy-violation"),
    /** The root element is not {@code stream} in the streams namespace (§4.9.3.10). */
    INVALID_NAMESPACE("invalid-namespace"),
    /** Character data directly inside the stream element (§4.9.3.1). */
    BAD_FORMAT("bad-format"),
    /** An encoding other than UTF-8 was declared (§4.9.3.22). */
    UNSUPPORTED_ENCODING("unsupported-encoding");

    private final String condition;

    XmlViolation(String condition) {
        this.condition = condition;
    }

    /** The stream error condition element name. */
    public String condition() {
        return condition;
    }
}
