#include "store/sqlite/wal_buffer_vfs.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tgi::store::sqlite_internal {
namespace {

constexpr char kName[] = "tginvite-wal-buffer";
constexpr size_t kCapacity = size_t{1} << 20;  // a commit of ~1,000 1 KiB pages
constexpr int kFrameHeaderSize = 24;           // SQLite's WAL_FRAME_HDRSIZE
// The unix VFS writes at most 128 KiB - 1 bytes per call (it masks the size with 0x1ffff and
// reports the rest as a full disk): a flush is written in pieces of 64 KiB.
constexpr size_t kMaxWrite = size_t{64} << 10;

// SQLite allocates vfs.szOsFile bytes per open file: this struct, then the wrapped VFS's file.
struct ShimFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file
  sqlite3_file* real;
  bool is_wal;
  bool buffering;
  bool flush_after_next;  // the last write was a commit frame's header
  char* buf;              // kCapacity bytes, allocated on the first buffered write
  size_t len;
  sqlite3_int64 off;  // where buf[0] goes in the file
  WalBufferStats stats;
};

constexpr size_t kRealOffset = (sizeof(ShimFile) + 15) & ~size_t{15};

ShimFile* Shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
sqlite3_vfs* Real(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
const sqlite3_io_methods* RealMethods(ShimFile* f) { return f->real->pMethods; }

int Flush(ShimFile* f) {
  if (f->len == 0) return SQLITE_OK;
  const size_t n = f->len;
  f->len = 0;  // on failure the transaction fails: nothing of it may be written later
  for (size_t done = 0; done < n;) {
    const size_t chunk = std::min(n - done, kMaxWrite);
    ++f->stats.flushes;
    const int rc = RealMethods(f)->xWrite(f->real, f->buf + done, static_cast<int>(chunk),
                                          f->off + static_cast<sqlite3_int64>(done));
    if (rc != SQLITE_OK) return rc;
    done += chunk;
  }
  return SQLITE_OK;
}

int FlushFirst(sqlite3_file* file) { return Shim(file)->is_wal ? Flush(Shim(file)) : SQLITE_OK; }

uint32_t BigEndian32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// --- sqlite3_io_methods ---------------------------------------------------------------------

int Close(sqlite3_file* file) {
  ShimFile* f = Shim(file);
  const int flushed = FlushFirst(file);
  const int closed = RealMethods(f)->xClose(f->real);
  std::free(f->buf);
  f->buf = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* out, int amt, sqlite3_int64 off) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xRead(Shim(file)->real, out, amt, off);
}

int Write(sqlite3_file* file, const void* data, int amt, sqlite3_int64 off) {
  ShimFile* f = Shim(file);
  if (!f->is_wal || !f->buffering) return RealMethods(f)->xWrite(f->real, data, amt, off);
  ++f->stats.writes;
  const auto size = static_cast<size_t>(amt);
  if (f->len > 0 &&
      (off != f->off + static_cast<sqlite3_int64>(f->len) || f->len + size > kCapacity)) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->buf == nullptr) {
    f->buf = static_cast<char*>(std::malloc(kCapacity));
    if (f->buf == nullptr) return SQLITE_NOMEM;
  }
  // Only a commit frame's header carries a non-zero database size (bytes 4..7).
  const bool commit_header =
      amt == kFrameHeaderSize && BigEndian32(static_cast<const char*>(data) + 4) != 0;
  if (size > kMaxWrite) {  // SQLite writes pages of at most 64 KiB: never seen
    f->flush_after_next = false;
    ++f->stats.flushes;
    return RealMethods(f)->xWrite(f->real, data, amt, off);
  }
  if (f->len == 0) f->off = off;
  std::memcpy(f->buf + f->len, data, size);
  f->len += size;
  if (f->flush_after_next) {  // the commit frame's page: the commit is complete
    f->flush_after_next = false;
    ++f->stats.commit_flushes;
    return Flush(f);
  }
  f->flush_after_next = commit_header;
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xTruncate(Shim(file)->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xSync(Shim(file)->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xFileSize(Shim(file)->real, size);
}

int Lock(sqlite3_file* file, int level) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xLock(Shim(file)->real, level);
}

int Unlock(sqlite3_file* file, int level) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xUnlock(Shim(file)->real, level);
}

int CheckReservedLock(sqlite3_file* file, int* out) {
  return RealMethods(Shim(file))->xCheckReservedLock(Shim(file)->real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xFileControl(Shim(file)->real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  return RealMethods(Shim(file))->xSectorSize(Shim(file)->real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  return RealMethods(Shim(file))->xDeviceCharacteristics(Shim(file)->real);
}

int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return RealMethods(Shim(file))->xShmMap(Shim(file)->real, region, size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return RealMethods(Shim(file))->xShmLock(Shim(file)->real, offset, n, flags);
}

void ShmBarrier(sqlite3_file* file) { RealMethods(Shim(file))->xShmBarrier(Shim(file)->real); }

int ShmUnmap(sqlite3_file* file, int remove) {
  return RealMethods(Shim(file))->xShmUnmap(Shim(file)->real, remove);
}

int Fetch(sqlite3_file* file, sqlite3_int64 off, int amt, void** out) {
  if (int rc = FlushFirst(file); rc != SQLITE_OK) return rc;
  return RealMethods(Shim(file))->xFetch(Shim(file)->real, off, amt, out);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 off, void* p) {
  return RealMethods(Shim(file))->xUnfetch(Shim(file)->real, off, p);
}

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

// --- sqlite3_vfs ----------------------------------------------------------------------------

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  ShimFile* f = Shim(file);
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  f->real->pMethods = nullptr;
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->buffering = f->is_wal;
  f->flush_after_next = false;
  f->buf = nullptr;
  f->len = 0;
  f->off = 0;
  f->stats = {};
  const int rc = Real(vfs)->xOpen(Real(vfs), name, f->real, flags, out_flags);
  // SQLite calls xClose iff pMethods is set, on failure too: mirror the wrapped file.
  f->base.pMethods = f->real->pMethods != nullptr ? &kMethods : nullptr;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Real(vfs)->xDelete(Real(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Real(vfs)->xAccess(Real(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Real(vfs)->xFullPathname(Real(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Real(vfs)->xDlOpen(Real(vfs), name); }
void DlError(sqlite3_vfs* vfs, int n, char* out) { Real(vfs)->xDlError(Real(vfs), n, out); }
void (*DlSym(sqlite3_vfs* vfs, void* lib, const char* sym))(void) {
  return Real(vfs)->xDlSym(Real(vfs), lib, sym);
}
void DlClose(sqlite3_vfs* vfs, void* lib) { Real(vfs)->xDlClose(Real(vfs), lib); }
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xRandomness(Real(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int us) { return Real(vfs)->xSleep(Real(vfs), us); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Real(vfs)->xCurrentTime(Real(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xGetLastError(Real(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Real(vfs)->xCurrentTimeInt64(Real(vfs), out);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr p) {
  return Real(vfs)->xSetSystemCall(Real(vfs), name, p);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Real(vfs)->xGetSystemCall(Real(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Real(vfs)->xNextSystemCall(Real(vfs), name);
}

ShimFile* WalOf(sqlite3* db) {
  sqlite3_file* wal = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
      wal == nullptr || wal->pMethods != &kMethods || !Shim(wal)->is_wal) {
    return nullptr;
  }
  return Shim(wal);
}

}  // namespace

const char* WalBufferVfs() {
  static const char* const name = []() -> const char* {
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    // Only over the unix VFS, whose files have version-3 methods (shared memory, mmap).
    if (real == nullptr || std::strncmp(real->zName, "unix", 4) != 0 || real->iVersion < 3) {
      return nullptr;
    }
    static sqlite3_vfs vfs{};
    vfs.iVersion = 3;
    vfs.szOsFile = static_cast<int>(kRealOffset) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = real;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    vfs.xSetSystemCall = SetSystemCall;
    vfs.xGetSystemCall = GetSystemCall;
    vfs.xNextSystemCall = NextSystemCall;
    return sqlite3_vfs_register(&vfs, /*makeDflt=*/0) == SQLITE_OK ? kName : nullptr;
  }();
  return name;
}

bool WalBufferStatsOf(sqlite3* db, WalBufferStats* out) {
  ShimFile* f = WalOf(db);
  if (f == nullptr) return false;
  *out = f->stats;
  out->pending_bytes = f->len;
  return true;
}

bool DisableWalBuffering(sqlite3* db) {
  ShimFile* f = WalOf(db);
  if (f == nullptr || Flush(f) != SQLITE_OK) return false;
  f->buffering = false;
  return true;
}

}  // namespace tgi::store::sqlite_internal
