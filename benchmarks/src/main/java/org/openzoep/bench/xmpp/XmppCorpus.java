package org.openzoep.bench.xmpp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic server-to-client XMPP stream for the decode and encode benchmarks: a stream header,
 * a {@code stream:features}, then {@link #ROUNDS} rounds of the same mix of stanzas (chat messages
 * with bodies, threads, {@code xml:lang}, escapes and non-ASCII text; presence with show, status,
 * priority and an XEP-0115 caps {@code c}; a roster result with 20 items; a disco#info result; a
 * Jingle-like session-initiate; pings; receipts), each round with its own ids so that no two
 * stanzas are identical strings. Between 100 bytes and about 2.3 KB per stanza, UTF-8.
 *
 * <p>Thread: immutable after construction.
 */
final class XmppCorpus {

    /** Rounds of the stanza mix after the features. */
    static final int ROUNDS = 20;

    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' id='5d3b5c86-8c9e-4bd1-9e8a-3c3a6f4e1f1a'"
            + " from='localhost' version='1.0' xml:lang='en'>";

    static final String FEATURES = "<stream:features>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>"
            + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
            + "<sm xmlns='urn:xmpp:sm:3'/><csi xmlns='urn:xmpp:csi:0'/>"
            + "<ver xmlns='urn:xmpp:features:rosterver'/>"
            + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://prosody.im'"
            + " ver='5tk0yLoNNUeCOiAYz4v8c2a9M9k='/>"
            + "</stream:features>";

    static final String TRAILER = "</stream:stream>";

    private final List<String> stanzas = new ArrayList<>();
    private final byte[] stream;

    XmppCorpus() {
        for (int r = 0; r < ROUNDS; r++) {
            addRound(r);
        }
        StringBuilder sb = new StringBuilder(HEADER).append(FEATURES);
        for (String s : stanzas) {
            sb.append(s);
        }
        sb.append(TRAILER);
        this.stream = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The whole stream (header, features, stanzas, close) as UTF-8. Do not modify. */
    byte[] stream() {
        return stream;
    }

    /** The stanzas (messages, presences, iqs) in stream order, without features. */
    List<String> stanzas() {
        return stanzas;
    }

    /** Top-level elements in the stream: the features plus every stanza. */
    int topLevelElements() {
        return stanzas.size() + 1;
    }

    private void addRound(int r) {
        String me = "juliet@localhost/balcony-" + r;
        stanzas.add("<message from='romeo@localhost/orchard' to='" + me + "' type='chat' id='m1-" + r
                + "' xml:lang='en'><body>Art thou not Romeo, and a Montague? Neither, fair saint, if either"
                + " thee dislike. 3 &lt; 4 &amp;&amp; &apos;quoted&apos; — ça va? " + r + "</body>"
                + "<thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<request xmlns='urn:xmpp:receipts'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='9f1c2d3e-" + r + "'/></message>");
        stanzas.add("<message from='kenji@localhost/phone' to='" + me + "' type='chat' id='m2-" + r
                + "' xml:lang='ja'><body xml:lang='ja'>" + LONG_JA + " " + r + "</body>"
                + "<body xml:lang='de'>Grüße aus Köln – wir sehen uns übermorgen um 18:30 Uhr 🎉</body>"
                + "<thread parent='7edac73ab41e45c4aafa7b2d7b749080'>3e7ef2dc-" + r + "</thread>"
                + "<delay xmlns='urn:xmpp:delay' from='localhost' stamp='2026-11-30T10:15:0" + (r % 10)
                + "Z'>Offline Storage</delay>"
                + "<markable xmlns='urn:xmpp:chat-markers:0'/></message>");
        stanzas.add("<presence from='romeo@localhost/orchard' to='" + me + "' id='p1-" + r + "'>"
                + "<show>away</show><status xml:lang='en'>Wherefore art thou? Back in 10 min</status>"
                + "<priority>5</priority>"
                + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im'"
                + " ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>"
                + "<x xmlns='vcard-temp:x:update'><photo>01b87fcd030b72895ff8e88db57ec525450f000d</photo></x>"
                + "</presence>");
        stanzas.add("<presence from='nurse@localhost/kitchen' to='" + me + "' type='unavailable' id='p2-" + r
                + "'><status>Gone to bed</status></presence>");
        stanzas.add(roster(r, me));
        stanzas.add(disco(r, me));
        stanzas.add(jingle(r, me));
        stanzas.add("<iq from='localhost' to='" + me + "' id='ping-" + r + "' type='get'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq>");
        stanzas.add("<message from='romeo@localhost/orchard' to='" + me + "' id='rcpt-" + r + "'>"
                + "<received xmlns='urn:xmpp:receipts' id='m0-" + r + "'/></message>");
        stanzas.add("<iq from='romeo@localhost/orchard' to='" + me + "' id='v-" + r + "' type='result'>"
                + "<query xmlns='jabber:iq:version'><name>Conversations</name><version>2.16.9</version>"
                + "<os>Android 14</os></query></iq>");
    }

    private static final String LONG_JA = "ロミオ、ああロミオ、どうしてあなたはロミオなの？ お父様を否定して、"
            + "その名を捨てて。それができないなら、せめて私を愛すると誓って。そうすれば私はキャピュレットでなくなる。"
            + "名前に何の意味があるの？ バラと呼ばれる花は、別の名前で呼んでも同じように甘く香る。";

    private static String roster(int r, String me) {
        StringBuilder sb = new StringBuilder(2400);
        sb.append("<iq to='").append(me).append("' id='roster-").append(r).append("' type='result'>")
                .append("<query xmlns='jabber:iq:roster' ver='ver").append(r).append("'>");
        String[] names = {"Romeo Montague", "Nurse", "Mercutio", "Benvolio", "Tybalt", "Friar Laurence",
            "Lady Capulet", "Paris", "Balthasar", "Sampson", "Gregory", "Abram", "Peter", "Rosaline",
            "Prince Escalus", "Montague", "Capulet", "Friar John", "Apothecary", "Chorus – Ελένη"};
        for (int i = 0; i < names.length; i++) {
            String sub = i % 5 == 0 ? "to" : i % 7 == 0 ? "from" : "both";
            sb.append("<item jid='contact").append(i).append("@localhost' name='").append(names[i])
                    .append("' subscription='").append(sub).append('\'');
            if (i % 9 == 4) {
                sb.append(" ask='subscribe'");
            }
            sb.append("><group>").append(i % 3 == 0 ? "Montagues" : "Capulets").append("</group>");
            if (i % 4 == 0) {
                sb.append("<group>Verona &amp; Mantua</group>");
            }
            sb.append("</item>");
        }
        return sb.append("</query></iq>").toString();
    }

    private static String disco(int r, String me) {
        StringBuilder sb = new StringBuilder(1600);
        sb.append("<iq from='romeo@localhost/orchard' to='").append(me).append("' id='disco-").append(r)
                .append("' type='result'><query xmlns='http://jabber.org/protocol/disco#info'"
                        + " node='https://conversations.im#QgayPKawpkPSDYmwT/WM94uAlu0='>")
                .append("<identity category='client' type='phone' name='Conversations'/>")
                .append("<identity category='client' type='phone' xml:lang='de' name='Conversations (de)'/>");
        String[] features = {"eu.siacs.conversations.axolotl.devicelist+notify", "http://jabber.org/protocol/caps",
            "http://jabber.org/protocol/chatstates", "http://jabber.org/protocol/disco#info",
            "http://jabber.org/protocol/muc", "http://jabber.org/protocol/nick+notify", "jabber:iq:version",
            "jabber:x:conference", "jabber:x:oob", "urn:xmpp:avatar:metadata+notify", "urn:xmpp:chat-markers:0",
            "urn:xmpp:jingle-message:0", "urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:rtp:1",
            "urn:xmpp:jingle:apps:rtp:audio", "urn:xmpp:jingle:apps:rtp:video", "urn:xmpp:jingle:transports:ice-udp:1",
            "urn:xmpp:jingle:apps:dtls:0", "urn:xmpp:message-correct:0", "urn:xmpp:ping", "urn:xmpp:receipts",
            "urn:xmpp:time"};
        for (String f : features) {
            sb.append("<feature var='").append(f).append("'/>");
        }
        sb.append("<x xmlns='jabber:x:data' type='result'>")
                .append("<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>")
                .append("<field var='software'><value>Conversations</value></field>")
                .append("<field var='software_version'><value>2.16.9</value></field></x>");
        return sb.append("</query></iq>").toString();
    }

    private static String jingle(int r, String me) {
        String sid = "a73sjjvkla37jfea-" + r;
        StringBuilder sb = new StringBuilder(2400);
        sb.append("<iq from='romeo@localhost/orchard' to='").append(me).append("' id='jingle-").append(r)
                .append("' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'")
                .append(" initiator='romeo@localhost/orchard' sid='").append(sid).append("'>")
                .append("<content creator='initiator' name='voice' senders='both'>")
                .append("<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>")
                .append("<payload-type id='111' name='opus' clockrate='48000' channels='2'>")
                .append("<parameter name='minptime' value='10'/><parameter name='useinbandfec' value='1'/>")
                .append("<rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='transport-cc'/></payload-type>")
                .append("<payload-type id='0' name='PCMU' clockrate='8000'/>")
                .append("<payload-type id='8' name='PCMA' clockrate='8000'/>")
                .append("<payload-type id='126' name='telephone-event' clockrate='8000'/>")
                .append("<rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='1'")
                .append(" uri='urn:ietf:params:rtp-hdrext:ssrc-audio-level'/>")
                .append("<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='1939465398'>")
                .append("<parameter name='cname' value='Wc1fDk/xD+Yj9gXr'/>")
                .append("<parameter name='msid' value='my-media-stream my-audio-track'/></source>")
                .append("<rtcp-mux/></description>")
                .append("<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' pwd='asd88fgpdd777uzjYhagZg'")
                .append(" ufrag='8hhy'>")
                .append("<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>")
                .append("02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2")
                .append("</fingerprint>");
        String[][] cands = {{"192.168.1.23", "host", "2130706431"}, {"10.0.0.7", "host", "2130706175"},
            {"203.0.113.9", "srflx", "1694498815"}, {"198.51.100.4", "relay", "16777215"}};
        for (int i = 0; i < cands.length; i++) {
            sb.append("<candidate component='1' foundation='").append(i + 1).append("' generation='0' id='el0747fg1")
                    .append(i).append("' ip='").append(cands[i][0]).append("' network='0' port='")
                    .append(50000 + i * 7 + r).append("' priority='").append(cands[i][2])
                    .append("' protocol='udp' type='").append(cands[i][1]).append("'/>");
        }
        return sb.append("</transport></content>")
                .append("<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='voice'/></group>")
                .append("</jingle></iq>").toString();
    }

    /** Prints the corpus's size figures (for the results file). */
    public static void main(String[] args) {
        XmppCorpus c = new XmppCorpus();
        int min = Integer.MAX_VALUE;
        int max = 0;
        long sum = 0;
        for (String s : c.stanzas) {
            int n = s.getBytes(StandardCharsets.UTF_8).length;
            min = Math.min(min, n);
            max = Math.max(max, n);
            sum += n;
        }
        System.out.printf("stream %d bytes, %d stanzas + features; stanza bytes min %d, mean %d, max %d%n",
                c.stream.length, c.stanzas.size(), min, sum / c.stanzas.size(), max);
    }
}
