package org.openzoep.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the module and package layout (docs/architecture.md), checked on the compiled
 * main classes of engine-xmpp, engine-media and engine-core: no package cycles anywhere; the
 * protocol modules and the media module never see each other; nothing below the embedding API
 * sees engine-core; the API package never imports the engine's internals; no main code uses the
 * test kit; each engine module's descriptor exports its API packages to everyone and the rest at
 * most to engine-core.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the reactor hands sibling modules over as jars; their test jars are not main code
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("org.openzoep");
        // the three engine modules are all there, or the rules below would pass on nothing
        assertThat(main.containPackage("org.openzoep.xmpp.stanza")).isTrue();
        assertThat(main.containPackage("org.openzoep.media.rtp")).isTrue();
        assertThat(main.containPackage("org.openzoep.internal")).isTrue();
    }

    @Test
    void noPackageCycles() {
        // one slice per package, the top-level API package included ("org.openzoep.(**)" would leave it out)
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return c.getPackageName().startsWith("org.openzoep") ? SliceIdentifier.of(c.getPackageName())
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "one slice per package of org.openzoep";
            }
        }).should().beFreeOfCycles().check(main);
    }

    @Test
    void protocolModulesNeverSeeMedia() {
        noClasses().that().resideInAPackage("org.openzoep.xmpp..")
                .should().dependOnClassesThat().resideInAPackage("org.openzoep.media..")
                .check(main);
        noClasses().that().resideInAPackage("org.openzoep.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openzoep.media..", "org.openzoep.xmpp..")
                .allowEmptyShould(true)
                .check(main);
    }

    @Test
    void mediaNeverSeesProtocols() {
        noClasses().that().resideInAPackage("org.openzoep.media..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openzoep.xmpp..", "org.openzoep.sip..")
                .check(main);
    }

    @Test
    void onlyCoreSeesCore() {
        noClasses().that().resideInAnyPackage("org.openzoep.xmpp..", "org.openzoep.media..", "org.openzoep.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openzoep", "org.openzoep.internal..",
                        "org.openzoep.spi..")
                .check(main);
    }

    @Test
    void apiNeverImportsInternals() {
        noClasses().that().resideInAPackage("org.openzoep")
                .should().dependOnClassesThat().resideInAPackage("org.openzoep.internal..")
                .check(main);
    }

    @Test
    void mainCodeNeverUsesTheTestKit() {
        noClasses().that().resideOutsideOfPackage("org.openzoep.testkit..")
                .should().dependOnClassesThat().resideInAPackage("org.openzoep.testkit..")
                .check(main);
    }

    @Test
    void eachModuleExportsItsApiAndTheRestOnlyToCore() throws Exception {
        ModuleDescriptor core = descriptorOf(org.openzoep.ZoepEngine.class);
        ModuleDescriptor xmpp = descriptorOf(org.openzoep.xmpp.stanza.Jid.class);
        ModuleDescriptor media = descriptorOf(org.openzoep.media.device.AudioSource.class);

        assertThat(core.name()).isEqualTo("org.openzoep.core");
        assertThat(exportedToAll(core)).containsExactly("org.openzoep");
        assertThat(core.provides()).extracting(ModuleDescriptor.Provides::service)
                .containsExactly("org.openzoep.EngineProvider");

        assertThat(xmpp.name()).isEqualTo("org.openzoep.xmpp");
        assertThat(exportedToAll(xmpp)).containsExactlyInAnyOrder("org.openzoep.xmpp.stanza",
                "org.openzoep.xmpp.xml", "org.openzoep.xmpp.tls", "org.openzoep.xmpp.session");
        assertThat(xmpp.packages()).contains("org.openzoep.xmpp.sasl");
        assertThat(exportedToAll(xmpp)).doesNotContain("org.openzoep.xmpp.sasl");

        assertThat(media.name()).isEqualTo("org.openzoep.media");
        assertThat(exportedToAll(media)).containsExactly("org.openzoep.media.device");
        assertThat(media.packages()).contains("org.openzoep.media.rtp", "org.openzoep.media.srtp");

        for (ModuleDescriptor m : Set.of(core, xmpp, media)) {
            for (ModuleDescriptor.Exports e : m.exports()) {
                assertThat(e.source()).as(m.name() + " exports").doesNotContain("internal");
                if (e.isQualified()) {
                    assertThat(e.targets()).as(m.name() + " exports " + e.source()).containsExactly("org.openzoep.core");
                }
            }
        }
    }

    private static Set<String> exportedToAll(ModuleDescriptor m) {
        return m.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    /** The descriptor of the module (jar or classes folder) that holds {@code c}. */
    private static ModuleDescriptor descriptorOf(Class<?> c) throws URISyntaxException {
        Path where = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(where).findAll().iterator().next().descriptor();
    }
}
