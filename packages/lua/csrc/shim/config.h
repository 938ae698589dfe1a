/* mini-redis: sha1.c's config.h (byte order only). */
#include <endian.h>
