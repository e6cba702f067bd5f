#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large buffer about to be filled with 2 MB
/// pages rather than 4 KB ones. Filling fresh memory costs a page fault
/// for every page: for the 38 MB of a 100,000-record replay that was about
/// 50 ms here, and with 2 MB pages about 30 (the session index, 14 MB at
/// 25,000 sessions, is read at every start). Only advice: where the kernel
/// keeps 2 MB pages for those who ask (`transparent_hugepage` set to
/// `madvise`, as here, or `always`) it is taken, elsewhere nothing changes.
/// Only whole 4 KB pages inside the buffer are named, so nothing beyond it
/// is touched.
func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    let hugePage = 2 << 20
    guard buffer.count >= 2 * hugePage, let base = buffer.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (Int(bitPattern: base) + page - 1) / page * page
    let end = (Int(bitPattern: base) + buffer.count) / page * page
    guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(first, end - start, Int32(MADV_HUGEPAGE))
}
