// Builds the keystores keytool refuses to make (a key with another key's
// certificate, chains out of order or incomplete, one certificate under two
// aliases) through the KeyStore API, so the validator's vectors come from Java.
// Reads operations from stdin, one per line, fields separated by tabs:
//   key   OUT ALIAS SRC.p12 SRCALIAS CERT.pem...   key of SRC/SRCALIAS with the given chain
//   trust OUT ALIAS CERT.pem                       a trustedCertEntry
// OUT's type follows its extension (.jks JKS, .jceks JCEKS, .p12 PKCS12); every
// store and key password is "changeit".
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.util.*;

public class MakeCheck {
    static final char[] PW = "changeit".toCharArray();
    static final Map<String, KeyStore> open = new LinkedHashMap<>();

    static KeyStore store(String path) throws Exception {
        KeyStore ks = open.get(path);
        if (ks != null) return ks;
        String t = path.endsWith(".jceks") ? "JCEKS" : path.endsWith(".p12") ? "PKCS12" : "JKS";
        ks = KeyStore.getInstance(t);
        ks.load(null, null);
        open.put(path, ks);
        return ks;
    }

    static X509Certificate cert(String pem) throws Exception {
        try (InputStream in = Files.newInputStream(Paths.get(pem))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            KeyStore ks = store(f[1]);
            if (f[0].equals("key")) {
                KeyStore src = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(Paths.get(f[3]))) { src.load(in, PW); }
                Key k = src.getKey(f[4], PW);
                java.security.cert.Certificate[] chain = new java.security.cert.Certificate[f.length - 5];
                for (int i = 5; i < f.length; i++) chain[i - 5] = cert(f[i]);
                ks.setKeyEntry(f[2], k, PW, chain);
            } else if (f[0].equals("trust")) {
                ks.setCertificateEntry(f[2], cert(f[3]));
            } else {
                throw new IllegalArgumentException("unknown operation " + f[0]);
            }
        }
        for (Map.Entry<String, KeyStore> e : open.entrySet())
            try (OutputStream out = Files.newOutputStream(Paths.get(e.getKey()))) { e.getValue().store(out, PW); }
    }
}
