#if HAVE_CONFIG_H
# include "config.h"
#endif

#include <libtasn1.h>

const asn1_static_node jks_pkcs8_asn1_tab[] = {
  { "JKS-PKCS8", 536875024, NULL },
  { NULL, 1073741836, NULL },
  { "AlgorithmIdentifier", 1610612741, NULL },
  { "algorithm", 1073741836, NULL },
  { "parameters", 541081613, NULL },
  { "algorithm", 1, NULL },
  { "EncryptedPrivateKeyInfo", 1610612741, NULL },
  { "encryptionAlgorithm", 1073741826, "AlgorithmIdentifier"},
  { "encryptedData", 7, NULL },
  { "PBEParameter", 1610612741, NULL },
  { "salt", 1073741831, NULL },
  { "iterationCount", 3, NULL },
  { "PrivateKeyInfo", 536870917, NULL },
  { "version", 1073741827, NULL },
  { "privateKeyAlgorithm", 1073741826, "AlgorithmIdentifier"},
  { "privateKey", 1073741831, NULL },
  { "attributes", 1610637327, NULL },
  { NULL, 1073745928, "0"},
  { NULL, 2, "AlgorithmIdentifier"},
  { "publicKey", 536895494, NULL },
  { NULL, 4104, "1"},
  { NULL, 0, NULL }
};
