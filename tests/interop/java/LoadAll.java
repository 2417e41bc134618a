// LoadAll.java: the Java side of tests/interop/convert.sh. One JVM loads many
// keystores and prints, per file, one JSON line: its aliases, entry kinds and
// certificate SHA-256s, and whether each key was recovered.
//
//   java LoadAll.java FILE STOREPASS KEYPASS [FILE STOREPASS KEYPASS]...
//
// KEYPASS "-" means "the store password". The type is sniffed like keytool:
// FEEDFEED -> JKS, CECECECE -> JCEKS, anything else -> PKCS12.
// Output: {"file":F,"type":T,"entries":[{"alias":A,"kind":K,"chain":[H...],"key":"ok"|ERR,
//          "key_alg":Key.getAlgorithm() when the key opened}]}
// or {"file":F,"error":MSG}; entries sorted by alias.
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.Certificate;
import java.util.*;

public class LoadAll {
    static String esc(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String hex(byte[] d) {
        StringBuilder b = new StringBuilder();
        for (byte x : d) b.append(String.format("%02x", x & 0xff));
        return b.toString();
    }

    static String sniff(byte[] d) {
        if (d.length >= 4 && (d[0] & 0xff) == 0xfe && (d[1] & 0xff) == 0xed) return "JKS";
        if (d.length >= 4 && (d[0] & 0xff) == 0xce && (d[1] & 0xff) == 0xce) return "JCEKS";
        return "PKCS12";
    }

    static String one(String file, String sp, String kp) throws Exception {
        byte[] data = Files.readAllBytes(Paths.get(file));
        String type = sniff(data);
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(new ByteArrayInputStream(data), sp.toCharArray());
        char[] kpw = (kp.equals("-") ? sp : kp).toCharArray();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<String> aliases = Collections.list(ks.aliases());
        Collections.sort(aliases);
        StringBuilder out = new StringBuilder();
        out.append("{\"file\":").append(esc(file)).append(",\"type\":\"").append(type)
           .append("\",\"entries\":[");
        boolean first = true;
        for (String a : aliases) {
            String kind;
            Certificate[] chain;
            String key = null, keyAlg = null;
            if (ks.entryInstanceOf(a, KeyStore.TrustedCertificateEntry.class)) {
                kind = "trusted-cert";
                chain = new Certificate[] {ks.getCertificate(a)};
            } else if (ks.entryInstanceOf(a, KeyStore.SecretKeyEntry.class)) {
                kind = "secret-key";
                chain = new Certificate[0];
            } else {
                kind = "private-key";
                chain = ks.getCertificateChain(a);
                if (chain == null) chain = new Certificate[0];
            }
            if (!kind.equals("trusted-cert")) {
                try {
                    Key k = ks.getKey(a, kpw);
                    key = k == null ? "null" : "ok";
                    if (k != null) keyAlg = k.getAlgorithm();
                } catch (Exception e) {
                    key = e.getClass().getSimpleName();
                }
            }
            out.append(first ? "" : ",").append("{\"alias\":").append(esc(a))
               .append(",\"kind\":\"").append(kind).append("\",\"chain\":[");
            for (int i = 0; i < chain.length; i++)
                out.append(i > 0 ? "," : "").append('"')
                   .append(hex(md.digest(chain[i].getEncoded()))).append('"');
            out.append(']');
            if (key != null) out.append(",\"key\":").append(esc(key));
            if (keyAlg != null) out.append(",\"key_alg\":").append(esc(keyAlg));
            out.append('}');
            first = false;
        }
        return out.append("]}").toString();
    }

    public static void main(String[] args) {
        if (args.length % 3 != 0) {
            System.err.println("usage: java LoadAll.java FILE STOREPASS KEYPASS...");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 3) {
            String line;
            try {
                line = one(args[i], args[i + 1], args[i + 2]);
            } catch (Exception e) {
                line = "{\"file\":" + esc(args[i]) + ",\"error\":" + esc(String.valueOf(e)) + "}";
            }
            System.out.println(line);
        }
    }
}
