Keystore type: JKS
Keystore provider: SUN

Your keystore contains 1 entry

Alias name: rsa1024
Creation date: Nov 26, 2026
Entry type: PrivateKeyEntry
Certificate chain length: 1
Certificate[1]:
Owner: CN=rsa1024 RSA 1024, O=libjks test vectors, C=DE
Issuer: CN=rsa1024 RSA 1024, O=libjks test vectors, C=DE
Serial number: 26e3d0e6142400c0
Valid from: Thu Nov 26 06:48:57 UTC 2026 until: Sun Nov 23 06:48:57 UTC 2036
Certificate fingerprints:
	 SHA1: 68:87:90:39:0C:46:DF:47:9C:DD:4D:18:7A:D1:06:4B:E4:4D:A4:D7
	 SHA256: 42:78:C5:0B:A2:99:8A:9E:95:54:98:DD:F6:A0:C8:5B:F1:38:00:27:52:1D:BE:B2:D5:CB:1E:E1:FA:1C:82:66
Signature algorithm name: SHA256withRSA
Subject Public Key Algorithm: 1024-bit RSA key (weak)
Version: 3

Extensions: 

#1: ObjectId: 2.5.29.14 Criticality=false
SubjectKeyIdentifier [
KeyIdentifier [
0000: 0A 17 90 A3 1B B2 CE F2   7C F2 CF 9A 52 6C 8D F8  ............Rl..
0010: 0C 2B 8E 5F                                        .+._
]
]



*******************************************
*******************************************


