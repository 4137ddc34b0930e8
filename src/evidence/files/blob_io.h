// What the blob store (blob_store.cpp) and its maintenance
// (store/blob_maintenance.cpp: listing, hashing, copying and sweeping blobs)
// both need: blob names are lowercase hex, and file-system failures become
// statuses. Not a public header of the blob store. All functions are
// thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

// Two lowercase hex digits per byte: a SHA-256 digest becomes a blob's name.
std::string LowerHex(std::span<const unsigned char> bytes);

// True if `text` is exactly `length` lowercase hex digits (64 for a blob's
// name, 2 for each of its shard directories).
bool IsLowerHex(std::string_view text, std::size_t length);

// kInternal "<what>: <strerror(error)>".
Status ErrnoStatus(const std::string& what, int error);

// fsyncs a directory, so that the names just created or renamed in it
// survive a crash. kInternal "open <dir>: …" or "fsync <dir>: …".
Status FsyncDirectory(const std::filesystem::path& dir);

}  // namespace cairn
