package org.openzoep.bench.xmpp;

import java.util.HashMap;
import java.util.Map;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.compress.packet.Compress;
import org.jivesoftware.smack.packet.Bind;
import org.jivesoftware.smack.packet.FullyQualifiedElement;
import org.jivesoftware.smack.packet.Mechanisms;
import org.jivesoftware.smack.packet.Session;
import org.jivesoftware.smack.packet.StartTls;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.util.ParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Smack 4.4.8's inbound path without a socket: the loop of {@code XMPPTCPConnection.PacketReader
 * .parsePackets()}, {@code AbstractXMPPConnection.onStreamOpen}, {@code parseAndProcessStanza}
 * (minus the listener dispatch, replaced by a {@link Blackhole}) and {@code parseFeatures},
 * re-stated here because those methods are bound to a live connection. Only Smack's public API
 * is called; the control flow follows Smack's source.
 *
 * <p>Thread: stateless.
 */
final class SmackReader {

    private SmackReader() {
    }

    /** Parses the stream from the parser's current position (the stream start tag) to its end. */
    static int parsePackets(XmlPullParser parser, Blackhole bh) throws Exception {
        XmlEnvironment incoming = XmlEnvironment.EMPTY;
        Map<QName, FullyQualifiedElement> streamFeatures = new HashMap<>();
        int elements = 0;
        XmlPullParser.Event eventType = parser.getEventType();
        boolean done = false;
        while (!done) {
            switch (eventType) {
                case START_ELEMENT:
                    switch (parser.getName()) {
                        case "message":
                        case "iq":
                        case "presence":
                            // parseAndProcessStanza(parser)
                            ParserUtils.assertAtStartTag(parser);
                            bh.consume(PacketParserUtils.parseStanza(parser, incoming));
                            ParserUtils.assertAtEndTag(parser);
                            elements++;
                            break;
                        case "stream":
                            // onStreamOpen(parser)
                            if ("jabber:client".equals(parser.getNamespace(null))) {
                                bh.consume(parser.getAttributeValue("", "id"));
                                incoming = XmlEnvironment.from(parser);
                                bh.consume(parser.getAttributeValue("", "from"));
                            }
                            break;
                        case "features":
                            parseFeatures(parser, incoming, streamFeatures);
                            bh.consume(streamFeatures);
                            elements++;
                            break;
                        default:
                            throw new IllegalStateException("unexpected element " + parser.getName());
                    }
                    break;
                case END_ELEMENT:
                    if ("stream".equals(parser.getName())) {
                        done = true;
                    }
                    break;
                case END_DOCUMENT:
                    done = true;
                    break;
                default:
                    break;
            }
            if (!done) {
                eventType = parser.next();
            }
        }
        return elements;
    }

    /** {@code AbstractXMPPConnection.parseFeatures} of Smack 4.4. */
    private static void parseFeatures(XmlPullParser parser, XmlEnvironment incoming,
            Map<QName, FullyQualifiedElement> streamFeatures) throws Exception {
        streamFeatures.clear();
        final int initialDepth = parser.getDepth();
        while (true) {
            XmlPullParser.Event eventType = parser.next();
            if (eventType == XmlPullParser.Event.START_ELEMENT && parser.getDepth() == initialDepth + 1) {
                FullyQualifiedElement streamFeature = null;
                String name = parser.getName();
                String namespace = parser.getNamespace();
                switch (name) {
                    case StartTls.ELEMENT:
                        streamFeature = PacketParserUtils.parseStartTlsFeature(parser);
                        break;
                    case Mechanisms.ELEMENT:
                        streamFeature = new Mechanisms(PacketParserUtils.parseMechanisms(parser));
                        break;
                    case Bind.ELEMENT:
                        streamFeature = Bind.Feature.INSTANCE;
                        break;
                    case Session.ELEMENT:
                        streamFeature = PacketParserUtils.parseSessionFeature(parser);
                        break;
                    case Compress.Feature.ELEMENT:
                        streamFeature = PacketParserUtils.parseCompressionFeature(parser);
                        break;
                    default:
                        ExtensionElementProvider<?> provider = ProviderManager.getStreamFeatureProvider(name, namespace);
                        if (provider != null) {
                            streamFeature = provider.parse(parser, incoming);
                        }
                        break;
                }
                if (streamFeature != null) {
                    streamFeatures.put(streamFeature.getQName(), streamFeature);
                }
            } else if (eventType == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                break;
            }
        }
    }
}
