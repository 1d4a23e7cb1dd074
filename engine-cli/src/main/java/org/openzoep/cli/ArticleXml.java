package org.openzoep.cli;

import org.openzoep.testkit.ProsodyServer;

/** The article's XML steps the demos write on alice's stream. */
final class ArticleXml {
    private ArticleXml() {
    }

    /** The stream header. */
    static String header(String domain) {
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><stream:stream to='" + domain
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    }

    /** The configuration iq for the private server, with {@code extra} settings (e.g. audio, STUN). */
    static String configuration(ProsodyServer prosody, String extra) {
        return "<iq type='set' id='cfg'><configuration xmlns='http://openzoep.org/protocol/configuration'>"
                + "<server host='" + prosody.host() + "' port='" + prosody.port() + "'/>"
                + "<tls mode='starttls' trust-store='" + prosody.caCertificate() + "'/>" + extra
                + "<resource>Zoep</resource></configuration></iq>";
    }

    /** The login (XEP-0078 shape). */
    static String login(String user, String password) {
        return "<iq type='set' id='auth2'><query xmlns='jabber:iq:auth'><username>" + user + "</username>"
                + "<password>" + password + "</password><resource>Zoep</resource></query></iq>";
    }
}
