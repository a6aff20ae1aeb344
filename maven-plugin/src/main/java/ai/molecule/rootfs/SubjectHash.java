package ai.molecule.rootfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * OpenSSL's subject name hash ({@code openssl x509 -subject_hash}, {@code X509_NAME_hash_ex}): the
 * first four bytes, little-endian, of the SHA-1 of the name's canonical encoding — each string
 * value as UTF-8, trimmed, inner whitespace collapsed to one space, ASCII lower-cased, and the RDN
 * sets concatenated without the outer SEQUENCE.
 */
final class SubjectHash {
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    private SubjectHash() {}

    static String of(X509Certificate certificate) {
        try {
            ByteArrayOutputStream canonical = new ByteArrayOutputStream();
            ASN1Sequence name = ASN1Sequence.getInstance(
                    certificate.getSubjectX500Principal().getEncoded());
            for (ASN1Encodable rdn : name) {
                ASN1EncodableVector entries = new ASN1EncodableVector();
                for (ASN1Encodable entry : ASN1Set.getInstance(rdn)) {
                    ASN1Sequence attribute = ASN1Sequence.getInstance(entry);
                    entries.add(new DERSequence(
                            new ASN1Encodable[] {attribute.getObjectAt(0), canonical(attribute.getObjectAt(1))}));
                }
                canonical.write(new DERSet(entries).getEncoded("DER"));
            }
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(canonical.toByteArray());
            long hash = (sha1[0] & 0xffL) | (sha1[1] & 0xffL) << 8 | (sha1[2] & 0xffL) << 16 | (sha1[3] & 0xffL) << 24;
            return String.format("%08x", hash);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot encode the subject of " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static ASN1Encodable canonical(ASN1Encodable value) {
        ASN1Primitive primitive = value.toASN1Primitive();
        String text;
        if (primitive instanceof ASN1UTF8String s) {
            text = s.getString();
        } else if (primitive instanceof ASN1PrintableString s) {
            text = s.getString();
        } else if (primitive instanceof ASN1IA5String s) {
            text = s.getString();
        } else if (primitive instanceof ASN1VisibleString s) {
            text = s.getString();
        } else if (primitive instanceof ASN1BMPString s) {
            text = s.getString();
        } else if (primitive instanceof ASN1T61String s) {
            // OpenSSL converts T61String to UTF-8 as if it were Latin-1.
            text = new String(s.getOctets(), StandardCharsets.ISO_8859_1);
        } else if (primitive instanceof ASN1UniversalString s) {
            text = new String(s.getOctets(), UTF_32BE);
        } else {
            return primitive;
        }
        return new DERUTF8String(
                new String(canonicalBytes(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }

    /** OpenSSL's asn1_string_canon on UTF-8 bytes: only ASCII is trimmed, collapsed and lower-cased. */
    private static byte[] canonicalBytes(byte[] in) {
        int start = 0;
        int end = in.length;
        while (start < end && isSpace(in[start])) {
            start++;
        }
        while (end > start && isSpace(in[end - 1])) {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        int i = start;
        while (i < end) {
            byte b = in[i];
            if (b < 0) {
                out.write(b);
                i++;
            } else if (isSpace(b)) {
                out.write(' ');
                while (i < end && isSpace(in[i])) {
                    i++;
                }
            } else {
                out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }
}
