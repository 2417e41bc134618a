// KeyPassP12.java: for tests/interop/keep_encryption.sh, a PKCS#12 whose key
// password differs from its store (MAC) password, as Java's PKCS12KeyStore
// writes one when KeyStore.setKeyEntry gets another password than store()
// (keytool itself refuses: "Different store and key passwords not supported").
//
//   java KeyPassP12.java IN.jks STOREPASS KEYPASS OUT.p12
//
// Every key entry of IN (opened with KEYPASS) goes into OUT under KEYPASS;
// OUT's MAC and certificates use STOREPASS.
import java.io.*;
import java.security.*;
import java.util.*;

public class KeyPassP12 {
    public static void main(String[] a) throws Exception {
        char[] sp = a[1].toCharArray(), kp = a[2].toCharArray();
        KeyStore in = KeyStore.getInstance("JKS");
        try (InputStream s = new FileInputStream(a[0])) { in.load(s, sp); }
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        for (String al : Collections.list(in.aliases()))
            if (in.isKeyEntry(al))
                out.setKeyEntry(al, in.getKey(al, kp), kp, in.getCertificateChain(al));
        try (OutputStream s = new FileOutputStream(a[3])) { out.store(s, sp); }
    }
}
