package org.openzoep.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The element builder refuses names that are not XML names (issue 12, M1): a name travels into the
 * writer as markup, so {@code '}, {@code <}, a space or a colon in it would write a broken or
 * different document. Namespaced names are NCNames (XML 1.0 fifth edition section 2.3, Namespaces
 * in XML section 3); non-ASCII letters are names.
 */
class XmlElementNameTest {
    static final String NS = "urn:test";

    @Test
    void nonAsciiNamesAreXmlNames() {
        XmlElement e = XmlElement.builder("пара́метр", NS).attr("名前", "v").attr("_x-1.2·", "w").build();
        assertThat(e.name()).isEqualTo("пара́метр");
        assertThat(XmlStreamParser.parseElement(e.toXml(), NS)).isEqualTo(e);
    }

    @Test
    void markupInANameIsRefusedWithAClearException() {
        for (String bad : new String[] {"a'b", "a<b", "a b", "a>b", "a\"b", "a=b", "a&b", "a/b", "1a", "-a", ".a",
                "p:a", "", "a\u0000b", "a\tb", "\uD800", "a\uFFFE"}) {
            assertThatThrownBy(() -> XmlElement.builder(bad, NS)).as("element '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an XML name");
            assertThatThrownBy(() -> XmlElement.of(bad, NS)).as("empty element '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an XML name");
            assertThatThrownBy(() -> XmlElement.builder("ok", NS).attr(bad, "v")).as("attribute '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an XML name");
            assertThatThrownBy(() -> XmlElement.builder("ok", NS).textChild(bad, "v")).as("text child '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an XML name");
        }
    }
}
