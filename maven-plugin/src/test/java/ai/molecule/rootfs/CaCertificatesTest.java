package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA bundle, conf file and OpenSSL hash links, checked against the openssl CLI for the hashes
 * (certificates made by the test, with subjects that need OpenSSL's canonical form: extra spaces,
 * upper case, UTF-8 and a multi-valued RDN).
 */
class CaCertificatesTest {
    @TempDir
    Path dir;

    private Path certificate(String name, String subject) throws Exception {
        Path pem = dir.resolve(name);
        TestDeb.run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-utf8",
                "-multivalue-rdn",
                "-subj",
                subject,
                "-days",
                "2",
                "-keyout",
                dir.resolve(name + ".key").toString(),
                "-out",
                pem.toString()));
        return pem;
    }

    private static String subjectHash(Path pem) throws Exception {
        return TestDeb.run(List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-subject_hash"))
                .strip();
    }

    private Path caCertificates(Path... shipped) throws Exception {
        TestDeb deb = TestDeb.named("ca-certificates").dir("/etc/ssl/certs", 0755);
        for (Path pem : shipped) {
            deb.file("/usr/share/ca-certificates/mozilla/" + pem.getFileName(), Files.readString(pem), 0644);
        }
        return deb.build(dir);
    }

    private Path basePasswd() throws Exception {
        return TestDeb.named("base-passwd")
                .file("/usr/share/base-passwd/passwd.master", RootfsAssemblerTest.PASSWD_MASTER, 0644)
                .file("/usr/share/base-passwd/group.master", RootfsAssemblerTest.GROUP_MASTER, 0644)
                .build(dir);
    }

    @Test
    void bundleHoldsShippedThenExtraCertificatesWithLinksOpenSslFinds() throws Exception {
        Path zeta = certificate("Zeta_Root.crt", "/C=DE/O=  Molecule   Test  GmbH/CN=\u00c4rger CA+OU=Unit One");
        Path alpha = certificate("Alpha Root (2024).crt", "/CN=ALPHA   Root/O=Example");
        Path proxy = certificate("corporate-proxy.pem", "/CN=Corporate Proxy CA");

        Layer layer = Layer.assemble(RootfsAssembler.builder()
                .packages(List.of(basePasswd(), caCertificates(zeta, alpha)))
                .extraCaCertificates(List.of(proxy))
                .build());

        assertThat(layer.text("/etc/ssl/certs/ca-certificates.crt"))
                .isEqualTo(Files.readString(alpha) + Files.readString(zeta) + Files.readString(proxy));
        assertThat(layer.text("/etc/ca-certificates.conf"))
                .startsWith("# This file lists certificates that you wish to use or to ignore to be\n")
                .endsWith("#\nmozilla/Alpha Root (2024).crt\nmozilla/Zeta_Root.crt\n");
        assertThat(layer.text("/usr/local/share/ca-certificates/corporate-proxy.crt"))
                .isEqualTo(Files.readString(proxy));
        assertThat(layer.entry("/etc/ssl/certs/Alpha_Root_=2024=.pem").getLinkName())
                .isEqualTo("/usr/share/ca-certificates/mozilla/Alpha Root (2024).crt");
        assertThat(layer.entry("/etc/ssl/certs/corporate-proxy.pem").getLinkName())
                .isEqualTo("/usr/local/share/ca-certificates/corporate-proxy.crt");
        assertThat(layer.entry("/etc/ssl/certs/" + subjectHash(zeta) + ".0").getLinkName())
                .isEqualTo("Zeta_Root.pem");
        assertThat(layer.entry("/etc/ssl/certs/" + subjectHash(alpha) + ".0").getLinkName())
                .isEqualTo("Alpha_Root_=2024=.pem");
        assertThat(layer.entry("/etc/ssl/certs/" + subjectHash(proxy) + ".0").getLinkName())
                .isEqualTo("corporate-proxy.pem");
    }

    @Test
    void extraCertificatesNeedCaCertificatesAndPem() throws Exception {
        Path notPem = Files.writeString(dir.resolve("proxy.der"), "binary junk");

        assertThatThrownBy(() -> RootfsAssembler.builder()
                        .packages(List.of(basePasswd()))
                        .extraCaCertificates(List.of(notPem))
                        .build()
                        .assemble(OutputStream.nullOutputStream()))
                .isInstanceOf(RootfsException.class)
                .hasMessageContaining("ca-certificates is not among the packages")
                .hasMessageContaining("holds no PEM certificate")
                .hasMessageContaining(notPem.toString());
    }
}
