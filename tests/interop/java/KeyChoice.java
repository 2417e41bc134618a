// Oracle for tests/interop/probe_choice.sh: builds keystores from a pool of
// keys and chains (random aliases, some trusted certificates between them),
// stores them as JKS, JCEKS and PKCS12, loads each back and prints what both
// default key managers return from chooseClientAlias({"RSA","EC"}, issuers, null).
// usage: java KeyChoice POOLDIR OUTDIR SEED COUNT
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.cert.Certificate;
import java.security.spec.*;
import java.util.*;
import javax.net.ssl.*;
import javax.security.auth.x500.X500Principal;

public class KeyChoice {
    static final char[] PW = "changeit".toCharArray();

    public static void main(String[] a) throws Exception {
        Security.setProperty("keystore.pkcs12.keyPbeIterationCount", "1");
        Security.setProperty("keystore.pkcs12.certPbeIterationCount", "1");
        Security.setProperty("keystore.pkcs12.macIterationCount", "1");
        Path pool = Paths.get(a[0]), out = Paths.get(a[1]);
        Random rnd = new Random(Long.parseLong(a[2]));
        int count = Integer.parseInt(a[3]);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<PrivateKey> keys = new ArrayList<>();
        List<Certificate[]> chains = new ArrayList<>();
        for (int i = 0; Files.exists(pool.resolve("leaf" + i + ".key")); i++) {
            String pem = Files.readString(pool.resolve("leaf" + i + ".key"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[^-]+-----", ""));
            String alg = Files.readString(pool.resolve("leaf" + i + ".alg")).trim();
            keys.add(KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der)));
            try (InputStream in = Files.newInputStream(pool.resolve("leaf" + i + ".chain"))) {
                chains.add(cf.generateCertificates(in).toArray(new Certificate[0]));
            }
        }
        Certificate ca1, ca2;
        try (InputStream in = Files.newInputStream(pool.resolve("ca1.pem"))) { ca1 = cf.generateCertificate(in); }
        try (InputStream in = Files.newInputStream(pool.resolve("ca2.pem"))) { ca2 = cf.generateCertificate(in); }
        Principal[][] issuerSets = {
            null,
            {((X509Certificate) ca1).getSubjectX500Principal()},
            {((X509Certificate) ca2).getSubjectX500Principal()},
        };
        String[] sets = {"none", "ca1", "ca2"};
        String[] types = {"JKS", "JCEKS", "PKCS12"};
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
        String[] exotic = {"\u00e9", "\u00df", "\u4e2d", "\ud834\udd1e", "x"};
        int[] fixed = {1, 2, 3, 12, 13, 200, 100, 64};
        for (int s = 0; s < count; s++) {
            String type = types[s % 3];
            int n = s / 3 < fixed.length ? fixed[s / 3] : 1 + rnd.nextInt(200);
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            Set<String> used = new HashSet<>();
            // each pool key at most once per store: PKCS#12 pairs a key with
            // its certificate by localKeyId, a reused key would blur that
            List<Integer> free = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) free.add(k);
            Collections.shuffle(free, rnd);
            for (int i = 0; i < n; i++) {
                StringBuilder al = new StringBuilder();
                int len = 1 + rnd.nextInt(12);
                for (int j = 0; j < len; j++) al.append(chars.charAt(rnd.nextInt(chars.length())));
                if (rnd.nextInt(10) == 0) al.append(exotic[rnd.nextInt(exotic.length)]);
                String alias = al.toString();
                if (!used.add(alias)) continue;
                // JCEKS: JDK 17 protects each key with 200,000 PBE iterations (about
                // 55 ms per key to open): at most 24 keys, the rest trusted certificates
                boolean capped = type.equals("JCEKS") && keys.size() - free.size() >= 24;
                if (rnd.nextInt(6) == 0 || capped) {
                    ks.setCertificateEntry(alias, rnd.nextBoolean() ? ca1 : ca2);
                } else {
                    if (free.isEmpty()) continue;
                    int k = free.remove(free.size() - 1);
                    ks.setKeyEntry(alias, keys.get(k), PW, chains.get(k));
                }
            }
            String file = String.format("s%03d.%s", s, type.toLowerCase());
            try (OutputStream o = Files.newOutputStream(out.resolve(file))) { ks.store(o, PW); }
            KeyStore back = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(out.resolve(file))) { back.load(in, PW); }
            // the leaf Java pairs with each key (PKCS#12: by localKeyId and name)
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Enumeration<String> e = back.aliases(); e.hasMoreElements();) {
                String al = e.nextElement();
                if (!back.isKeyEntry(al)) continue;
                byte[] d = sha.digest(back.getCertificateChain(al)[0].getEncoded());
                StringBuilder hex = new StringBuilder();
                for (byte b : d) hex.append(String.format("%02x", b));
                System.err.println(file + " " + hex + " " + al);
            }
            X509KeyManager[] kms = new X509KeyManager[2];
            String[] algs = {"SunX509", "PKIX"};
            for (int m = 0; m < 2; m++) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(algs[m]);
                kmf.init(back, PW);
                kms[m] = (X509KeyManager) kmf.getKeyManagers()[0];
            }
            for (int t = 0; t < issuerSets.length; t++) {
                StringBuilder line = new StringBuilder(file + " " + sets[t]);
                for (int m = 0; m < 2; m++) {
                    String alg = algs[m];
                    X509KeyManager km = kms[m];
                    String c = km.chooseClientAlias(new String[] {"RSA", "EC"}, issuerSets[t], null);
                    if (c != null && alg.equals("PKIX")) c = c.substring(c.indexOf('.', c.indexOf('.') + 1) + 1);
                    line.append(' ').append(alg.toLowerCase()).append('=').append(c == null ? "-" : c);
                }
                System.out.println(line);
            }
        }
    }
}
