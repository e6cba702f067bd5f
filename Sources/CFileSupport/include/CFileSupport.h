#ifndef TRILLIUM_FILE_SUPPORT_H
#define TRILLIUM_FILE_SUPPORT_H

/// rename(2) that fails with EEXIST instead of replacing the destination
/// (renameat2 with RENAME_NOREPLACE, which Swift's Glibc module does not
/// expose). Returns 0, or -1 with errno set.
int trillium_rename_noreplace(const char *source, const char *destination);

#endif
