// Dump.java: the Java oracle for libjks/jkstool interop tests.
//
// Single-file source program (JDK 11+ source launcher, no build step):
//
//   java Dump.java [GLOBAL OPTIONS] FILE-SPEC... 
//
// FILE-SPEC (repeatable; options after --file apply to that file):
//   --file PATH            keystore (or PEM/DER file, see --pem) to load
//   --storepass PW         store password; if absent the store is loaded with a
//                          null password (KeyStore.load(in, null))
//   --keypass PW           a key password to try (repeatable); keys are tried with
//                          each --keypass in order, then with the store password
//   --type T               force the KeyStore type (JKS, JCEKS, PKCS12, ...);
//                          default: sniff (FEEDFEED -> JKS, CECECECE -> JCEKS,
//                          anything else -> PKCS12)
//   --nopass               load with a null password even if --storepass is given
//                          (then no key is recovered unless a --keypass works)
//   --pem                  treat PATH as PEM/DER (see below) instead of a keystore
//
// GLOBAL OPTIONS:
//   --manifest FILE        read file specs from FILE, tab-separated lines:
//                            path <TAB> storepass <TAB> keypass1,keypass2 [<TAB> type [<TAB> flags]]
//                          an empty storepass column is the empty password "";
//                          type may be empty (sniff), JKS, JCEKS, PKCS12, PEM or DER;
//                          flags: comma-separated words, "nopass" = load with null.
//                          '#' lines and blank lines are skipped. Relative paths are
//                          printed as written (they are resolved against the
//                          current directory).
//   --vectors-manifest FILE   read vectors/manifest.tsv (columns: path, storetype,
//                          storepass, keypasses, notes); relative paths are resolved
//                          against the manifest's directory but printed as written.
//   --all-nopass           apply --nopass to every file (useful with the manifests)
//
// OUTPUT: one JSON object per file, one per line, in input order:
//   {"file":"...","ok":true,"entries":[...]}   or
//   {"file":"...","ok":false,"error":"<exception class>: <message>"}
// Entries are sorted by alias in Unicode code point order (== UTF-8 byte order).
//   private-key : {"alias","kind":"private-key","chain_sha256":[leaf first],
//                  "key_spki_sha256","key_alg","pkcs8_sha256" (null if not recovered)}
//   trusted-cert: {"alias","kind":"trusted-cert","chain_sha256":[one cert]}
//   secret-key  : {"alias","kind":"secret-key","secret_alg","secret_bits",
//                  "secret_sha256"} (all three null if not recovered)
// key_spki_sha256 is SHA-256 of the leaf certificate's getPublicKey().getEncoded()
// (SubjectPublicKeyInfo DER); key_alg is that public key's algorithm ("RSA", "EC",
// "DSA"), or the private key's if there is no certificate. pkcs8_sha256 is SHA-256 of
// KeyStore.getKey(alias, pw).getEncoded(). Hex is lower case.
//
// JSON ENCODING: the output is pure ASCII. Every character outside U+0020..U+007E is
// written as a JSON "backslash u XXXX" escape (4 lower-case hex digits) of its UTF-16
// code units, so a character outside the BMP becomes a surrogate pair, e.g. U+1D11E is
// written as the 12 characters  backslash u d834 backslash u dd1e. '"' and the
// backslash are escaped as backslash-quote and backslash-backslash; '/' is not escaped.
//
// PEM/DER mode (--pem, or type PEM/DER in a manifest): the file is read as PEM blocks
// (CERTIFICATE, PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY, ENCRYPTED PRIVATE KEY
// decrypted with the storepass) or, without any "-----BEGIN", as one DER certificate.
// Result: if there is a key, ONE entry {"alias":"","kind":"private-key"} whose chain is
// every certificate in file order; otherwise one trusted-cert entry per certificate,
// aliases "1","2",... (file order). pkcs8_sha256 there is SHA-256 of
// KeyFactory.generatePrivate(PKCS8).getEncoded(), i.e. the same normalisation Java
// applies when it returns a key from a keystore (traditional keys are first wrapped
// into PKCS#8). key_spki_sha256 comes from the first certificate, or is null.

import java.io.*;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.cert.Certificate;
import java.security.spec.*;
import java.util.*;
import javax.crypto.*;
import javax.crypto.spec.*;

public class Dump {

  static final class Spec {
    String path;          // path as printed
    Path resolved;        // path to open
    char[] storepass;     // null = no password
    List<char[]> keypasses = new ArrayList<>();
    String type;          // null = sniff
    boolean nopass;
    boolean pem;
  }

  public static void main(String[] args) throws Exception {
    List<Spec> specs = new ArrayList<>();
    Spec cur = null;
    boolean allNopass = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--file": cur = new Spec(); cur.path = need(args, ++i, a); cur.resolved = Paths.get(cur.path); specs.add(cur); break;
        case "--storepass": cur(cur, a).storepass = need(args, ++i, a).toCharArray(); break;
        case "--keypass": cur(cur, a).keypasses.add(need(args, ++i, a).toCharArray()); break;
        case "--type": {
          String t = need(args, ++i, a);
          if (t.equalsIgnoreCase("PEM") || t.equalsIgnoreCase("DER")) cur(cur, a).pem = true; else cur(cur, a).type = t;
          break;
        }
        case "--nopass": cur(cur, a).nopass = true; break;
        case "--pem": cur(cur, a).pem = true; break;
        case "--all-nopass": allNopass = true; break;
        case "--manifest": readManifest(Paths.get(need(args, ++i, a)), false, specs); cur = null; break;
        case "--vectors-manifest": readManifest(Paths.get(need(args, ++i, a)), true, specs); cur = null; break;
        case "-h": case "--help":
          System.err.println("usage: java Dump.java [--all-nopass] [--manifest F | --vectors-manifest F | --file P [--storepass PW] [--keypass PW]... [--type T] [--nopass] [--pem]]...");
          return;
        default: throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "US-ASCII");
    for (Spec s : specs) {
      if (allNopass) s.nopass = true;
      out.println(s.pem ? dumpPem(s) : dumpStore(s));
      out.flush();
    }
  }

  static String need(String[] args, int i, String opt) {
    if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
    return args[i];
  }

  static Spec cur(Spec s, String opt) {
    if (s == null) throw new IllegalArgumentException(opt + " must follow --file");
    return s;
  }

  static void readManifest(Path mf, boolean vectorsLayout, List<Spec> specs) throws IOException {
    Path base = mf.toAbsolutePath().getParent();
    for (String line : Files.readAllLines(mf, StandardCharsets.UTF_8)) {
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] c = line.split("\t", -1);
      Spec s = new Spec();
      String type, storepass, keypasses, flags;
      if (vectorsLayout) {   // path, storetype, storepass, keypasses, notes
        s.path = c[0];
        type = col(c, 1); storepass = col(c, 2); keypasses = col(c, 3); flags = "";
        s.resolved = base.resolve(c[0]);
      } else {               // path, storepass, keypasses [, type [, flags]]
        s.path = c[0];
        storepass = col(c, 1); keypasses = col(c, 2); type = col(c, 3); flags = col(c, 4);
        s.resolved = Paths.get(c[0]);
      }
      s.storepass = storepass.toCharArray();
      if (!keypasses.isEmpty()) for (String k : keypasses.split(",", -1)) s.keypasses.add(k.toCharArray());
      if (type.equalsIgnoreCase("PEM") || type.equalsIgnoreCase("DER")) s.pem = true;
      else if (!type.isEmpty()) s.type = type;
      for (String f : flags.split(",")) if (f.trim().equals("nopass")) s.nopass = true;
      specs.add(s);
    }
  }

  static String col(String[] c, int i) { return i < c.length ? c[i] : ""; }

  // ------------------------------------------------------------------ keystores

  static String sniff(byte[] data) {
    if (data.length >= 4) {
      int m = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
      if (m == 0xFEEDFEED) return "JKS";
      if (m == 0xCECECECE) return "JCEKS";
    }
    return "PKCS12";
  }

  static final class Entry {
    String alias;
    String json;
  }

  static String dumpStore(Spec s) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"file\":").append(js(s.path));
    try {
      byte[] data = Files.readAllBytes(s.resolved);
      String type = s.type != null ? s.type : sniff(data);
      KeyStore ks = KeyStore.getInstance(type);
      char[] storepass = s.nopass ? null : s.storepass;
      ks.load(new ByteArrayInputStream(data), storepass);
      List<char[]> tries = new ArrayList<>(s.keypasses);
      if (storepass != null) tries.add(storepass);
      List<Entry> entries = new ArrayList<>();
      for (String alias : Collections.list(ks.aliases())) {
        entries.add(dumpEntry(ks, alias, tries));
      }
      entries.sort((x, y) -> compareCodePoints(x.alias, y.alias));
      sb.append(",\"ok\":true,\"entries\":[");
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) sb.append(',');
        sb.append(entries.get(i).json);
      }
      sb.append("]}");
      return sb.toString();
    } catch (Throwable e) {
      return "{\"file\":" + js(s.path) + ",\"ok\":false,\"error\":" + js(e.toString()) + "}";
    }
  }

  static Entry dumpEntry(KeyStore ks, String alias, List<char[]> tries) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"alias\":").append(js(alias));
    if (ks.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
      Certificate[] chain = ks.getCertificateChain(alias);
      if (chain == null) chain = new Certificate[0];
      Key key = tryKey(ks, alias, tries);
      sb.append(",\"kind\":\"private-key\",\"chain_sha256\":").append(chainJson(chain));
      String spki = null, alg = null;
      if (chain.length > 0) {
        PublicKey pub = chain[0].getPublicKey();
        spki = hex(sha256(pub.getEncoded()));
        alg = pub.getAlgorithm();
      } else if (key != null) {
        alg = key.getAlgorithm();
      }
      sb.append(",\"key_spki_sha256\":").append(js(spki));
      sb.append(",\"key_alg\":").append(js(alg));
      sb.append(",\"pkcs8_sha256\":").append(key == null || key.getEncoded() == null ? "null" : js(hex(sha256(key.getEncoded()))));
    } else if (ks.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
      Key key = tryKey(ks, alias, tries);
      byte[] enc = key == null ? null : key.getEncoded();
      sb.append(",\"kind\":\"secret-key\"");
      sb.append(",\"secret_alg\":").append(key == null ? "null" : js(key.getAlgorithm()));
      sb.append(",\"secret_bits\":").append(enc == null ? "null" : Integer.toString(enc.length * 8));
      sb.append(",\"secret_sha256\":").append(enc == null ? "null" : js(hex(sha256(enc))));
    } else if (ks.isCertificateEntry(alias)) {
      Certificate c = ks.getCertificate(alias);
      sb.append(",\"kind\":\"trusted-cert\",\"chain_sha256\":").append(chainJson(c == null ? new Certificate[0] : new Certificate[] {c}));
    } else {
      sb.append(",\"kind\":\"unknown\"");
    }
    sb.append('}');
    Entry e = new Entry();
    e.alias = alias;
    e.json = sb.toString();
    return e;
  }

  static Key tryKey(KeyStore ks, String alias, List<char[]> tries) {
    for (char[] pw : tries) {
      try {
        Key k = ks.getKey(alias, pw);
        if (k != null) return k;
      } catch (Exception e) {
        // wrong password (UnrecoverableKeyException) or anything else: try the next one
      }
    }
    return null;
  }

  static String chainJson(Certificate[] chain) throws Exception {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < chain.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(js(hex(sha256(chain[i].getEncoded()))));
    }
    return sb.append(']').toString();
  }

  // ------------------------------------------------------------------ PEM / DER

  static String dumpPem(Spec s) {
    try {
      byte[] data = Files.readAllBytes(s.resolved);
      String text = new String(data, StandardCharsets.ISO_8859_1);
      List<byte[]> certs = new ArrayList<>();
      List<byte[]> keys = new ArrayList<>();   // PKCS#8 PrivateKeyInfo DER
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      if (!text.contains("-----BEGIN ")) {
        X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(data));
        certs.add(c.getEncoded());
      } else {
        int pos = 0;
        while (true) {
          int b = text.indexOf("-----BEGIN ", pos);
          if (b < 0) break;
          int le = text.indexOf("-----", b + 11);
          String label = text.substring(b + 11, le);
          String endMark = "-----END " + label + "-----";
          int e = text.indexOf(endMark, le + 5);
          if (e < 0) throw new IOException("no END line for " + label);
          String body = text.substring(le + 5, e);
          pos = e + endMark.length();
          if (body.contains("Proc-Type:")) throw new IOException("legacy encrypted PEM (Proc-Type) not supported");
          byte[] der = Base64.getMimeDecoder().decode(body.trim());
          switch (label) {
            case "CERTIFICATE":
              certs.add(((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der))).getEncoded());
              break;
            case "PRIVATE KEY": keys.add(der); break;
            case "RSA PRIVATE KEY": keys.add(wrapPkcs8(RSA_ALGID, der)); break;
            case "EC PRIVATE KEY": keys.add(wrapEc(der)); break;
            case "ENCRYPTED PRIVATE KEY": keys.add(decryptPkcs8(der, s.storepass)); break;
            default: throw new IOException("unsupported PEM label: " + label);
          }
        }
      }
      StringBuilder sb = new StringBuilder();
      sb.append("{\"file\":").append(js(s.path)).append(",\"ok\":true,\"entries\":[");
      if (!keys.isEmpty()) {
        if (keys.size() > 1) throw new IOException("more than one private key");
        PrivateKey pk = parsePkcs8(keys.get(0));
        sb.append("{\"alias\":\"\",\"kind\":\"private-key\",\"chain_sha256\":[");
        for (int i = 0; i < certs.size(); i++) {
          if (i > 0) sb.append(',');
          sb.append(js(hex(sha256(certs.get(i)))));
        }
        sb.append("]");
        String spki = null, alg = pk.getAlgorithm();
        if (!certs.isEmpty()) {
          PublicKey pub = cf.generateCertificate(new ByteArrayInputStream(certs.get(0))).getPublicKey();
          spki = hex(sha256(pub.getEncoded()));
          alg = pub.getAlgorithm();
        }
        sb.append(",\"key_spki_sha256\":").append(js(spki));
        sb.append(",\"key_alg\":").append(js(alg));
        sb.append(",\"pkcs8_sha256\":").append(js(hex(sha256(pk.getEncoded()))));
        sb.append('}');
      } else {
        for (int i = 0; i < certs.size(); i++) {
          if (i > 0) sb.append(',');
          sb.append("{\"alias\":").append(js(Integer.toString(i + 1)))
            .append(",\"kind\":\"trusted-cert\",\"chain_sha256\":[").append(js(hex(sha256(certs.get(i))))).append("]}");
        }
      }
      sb.append("]}");
      return sb.toString();
    } catch (Throwable e) {
      return "{\"file\":" + js(s.path) + ",\"ok\":false,\"error\":" + js(e.toString()) + "}";
    }
  }

  static PrivateKey parsePkcs8(byte[] der) throws Exception {
    Exception last = null;
    for (String alg : new String[] {"RSA", "EC", "DSA", "RSASSA-PSS", "Ed25519", "Ed448", "X25519", "X448"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (Exception e) {
        last = e;
      }
    }
    throw new InvalidKeySpecException("no KeyFactory accepts this PKCS#8 key", last);
  }

  static byte[] decryptPkcs8(byte[] der, char[] pw) throws Exception {
    if (pw == null) throw new UnrecoverableKeyException("encrypted key needs a password");
    EncryptedPrivateKeyInfo epki = new EncryptedPrivateKeyInfo(der);
    AlgorithmParameters params = epki.getAlgParameters();
    // For PBES2, AlgorithmParameters.toString() names the full cipher, e.g.
    // "PBEWithHmacSHA256AndAES_256"; for PBES1 getAlgName() is enough.
    String name = params != null ? params.toString() : epki.getAlgName();
    if (name == null || name.contains(" ") || name.contains("\n")) name = epki.getAlgName();
    SecretKey k = SecretKeyFactory.getInstance(name).generateSecret(new PBEKeySpec(pw));
    Cipher c = Cipher.getInstance(name);
    c.init(Cipher.DECRYPT_MODE, k, params);
    return epki.getKeySpec(c).getEncoded();
  }

  // --- minimal DER helpers for wrapping traditional keys into PKCS#8

  static final byte[] RSA_ALGID = unhex("300d06092a864886f70d0101010500");

  static byte[] wrapPkcs8(byte[] algId, byte[] privKey) throws IOException {
    return tlv(0x30, cat(unhex("020100"), algId, tlv(0x04, privKey)));
  }

  // RFC 5915 ECPrivateKey -> PKCS#8 with id-ecPublicKey and the named curve taken from
  // the key's [0] parameters. Like "openssl pkcs8 -topk8", the [0] element is dropped from
  // the inner ECPrivateKey (the curve is in the AlgorithmIdentifier) and everything else,
  // including the [1] public key, is kept. This matters: for EC keys Java returns the
  // stored PKCS#8 bytes unchanged, so the hash depends on this exact encoding.
  static byte[] wrapEc(byte[] ecpk) throws IOException {
    int[] p = {0};
    int[] outer = readTL(ecpk, p);               // SEQUENCE
    if (outer[0] != 0x30) throw new IOException("EC PRIVATE KEY: not a SEQUENCE");
    byte[] curve = null;
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    int end = p[0] + outer[1];
    while (p[0] < end) {
      int start = p[0];
      int[] tl = readTL(ecpk, p);
      int next = p[0] + tl[1];
      if (tl[0] == 0xa0) {
        int[] q = {p[0]};
        int[] oid = readTL(ecpk, q);
        curve = Arrays.copyOfRange(ecpk, p[0], q[0] + oid[1]);
      } else {
        inner.write(ecpk, start, next - start);
      }
      p[0] = next;
    }
    if (curve == null) throw new IOException("EC PRIVATE KEY without named curve parameters");
    byte[] algId = tlv(0x30, cat(unhex("06072a8648ce3d0201"), curve));
    return wrapPkcs8(algId, tlv(0x30, inner.toByteArray()));
  }

  static int[] readTL(byte[] d, int[] p) throws IOException {
    int tag = d[p[0]++] & 0xff;
    int len = d[p[0]++] & 0xff;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 4) throw new IOException("bad DER length");
      len = 0;
      for (int i = 0; i < n; i++) len = (len << 8) | (d[p[0]++] & 0xff);
    }
    return new int[] {tag, len};
  }

  static byte[] tlv(int tag, byte[] v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(tag);
    int n = v.length;
    if (n < 0x80) o.write(n);
    else if (n < 0x100) { o.write(0x81); o.write(n); }
    else if (n < 0x10000) { o.write(0x82); o.write(n >> 8); o.write(n); }
    else { o.write(0x83); o.write(n >> 16); o.write(n >> 8); o.write(n); }
    o.write(v, 0, v.length);
    return o.toByteArray();
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] b : parts) o.write(b, 0, b.length);
    return o.toByteArray();
  }

  // ------------------------------------------------------------------ utilities

  static int compareCodePoints(String a, String b) {
    int i = 0, j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i), cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  static byte[] sha256(byte[] b) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] b) {
    char[] c = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      c[2 * i] = HEX[(b[i] >> 4) & 15];
      c[2 * i + 1] = HEX[b[i] & 15];
    }
    return new String(c);
  }

  static byte[] unhex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  /** JSON string literal, ASCII only (non-ASCII as escaped UTF-16 code units). */
  static String js(String s) {
    if (s == null) return "null";
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') sb.append("\\\"");
      else if (c == '\\') sb.append("\\\\");
      else if (c >= 0x20 && c < 0x7f) sb.append(c);
      else {
        sb.append("\\u");
        sb.append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
      }
    }
    return sb.append('"').toString();
  }
}
