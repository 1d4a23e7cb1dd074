package org.openzoep.xmpp.jingle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openzoep.xmpp.xml.XmlElement;

/**
 * An RTP payload type (XEP-0167 §4): {@code <payload-type id name clockrate channels>} with
 * {@code <parameter name value/>} children (the SDP {@code a=fmtp} parameters). The optional
 * {@code ptime} and {@code maxptime} attributes are not modelled and are not written back.
 *
 * @param id         RTP payload type number, 0..127
 * @param name       encoding name (e.g. {@code opus}), or null (allowed for static types only)
 * @param clockRate  sampling rate in Hz, 0 when not given
 * @param channels   channel count (default 1, written only when not 1)
 * @param parameters format parameters in document order
 * @param extensions children not modelled here (e.g. XEP-0293 {@code <rtcp-fb/>}), kept as they came
 */
public record PayloadType(int id, String name, int clockRate, int channels, Map<String, String> parameters,
        List<XmlElement> extensions) {

    public PayloadType {
        if (id < 0 || id > 127) {
            throw new IllegalArgumentException("payload type out of range: " + id);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be positive: " + channels);
        }
        parameters = parameters == null || parameters.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        extensions = Xml.copy(extensions);
    }

    public PayloadType(int id, String name, int clockRate, int channels, Map<String, String> parameters) {
        this(id, name, clockRate, channels, parameters, List.of());
    }

    /** The {@code <payload-type/>} element in the RTP namespace. */
    public XmlElement toXml() {
        XmlElement.Builder b = XmlElement.builder("payload-type", JingleNamespaces.RTP).attr("id", Integer.toString(id));
        b.attr("name", name);
        if (clockRate > 0) {
            b.attr("clockrate", Integer.toString(clockRate));
        }
        if (channels != 1) {
            b.attr("channels", Integer.toString(channels));
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            b.child(XmlElement.builder("parameter", JingleNamespaces.RTP).attr("name", p.getKey())
                    .attr("value", p.getValue()).build());
        }
        Xml.addAll(b, extensions);
        return b.build();
    }

    /** Reads a {@code <payload-type/>} element of the RTP namespace. */
    public static PayloadType parse(XmlElement e) throws JingleException {
        int id = (int) Xml.requiredNumber(e, "id", 0, 127);
        String name = e.attr("name");
        if (id >= 96 && (name == null || name.isEmpty())) {
            throw JingleException.badRequest("dynamic payload type " + id + " needs a name");
        }
        int clockRate = (int) Xml.optionalNumber(e, "clockrate", 0, Integer.MAX_VALUE, 0);
        int channels = (int) Xml.optionalNumber(e, "channels", 1, 255, 1);
        Map<String, String> params = new LinkedHashMap<>();
        List<XmlElement> ext = Xml.newList();
        for (XmlElement c : e.elements()) {
            if (c.is("parameter", JingleNamespaces.RTP)) {
                String pname = Xml.required(c, "name");
                String value = c.attr("value");
                if (value == null) {
                    throw JingleException.badRequest("<parameter/> needs a 'value' attribute");
                }
                params.put(pname, value);
            } else {
                ext.add(c);
            }
        }
        return new PayloadType(id, name, clockRate, channels, params, ext);
    }
}
