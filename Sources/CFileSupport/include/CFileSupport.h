#ifndef TRILLIUM_FILE_SUPPORT_H
#define TRILLIUM_FILE_SUPPORT_H

/// rename(2) that fails with EEXIST instead of replacing the destination
/// (renameat2 with RENAME_NOREPLACE, which Swift's Glibc module does not
/// expose). Returns 0, or -1 with errno set.
int trillium_rename_noreplace(const char *source, const char *destination);

#include <stddef.h>

/// memmem(3), a GNU extension that Swift's Glibc module does not expose:
/// the first place `needle` occurs in `haystack`, or NULL.
const void *trillium_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
