// A compact hash map from a 64-bit key to a 32-bit value, for the import's
// per-enrollment bookkeeping (a million enrollments: duplicate checks, the
// stored enrollments by key and by sourcedId). Open addressing with linear
// probing in one array of 16-byte slots, 53% to 80% full (it grows by half):
// 20 to 30 bytes an entry, one allocation, no node per entry (a
// std::unordered_map of string keys costs well over 100 bytes an entry and an
// allocation each).
//
// Keys are exact: callers pack two 32-bit numbers into one, or use a 64-bit
// hash of a string and accept that two strings may share one (about one
// chance in 10^7 for a million strings). Entries are never removed.
// Thread-compatible plain value.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::oneroster {

class KeyTable {
 public:
  // Adds `key` with `value` unless it is there; returns the value stored for
  // `key` and whether it was added.
  std::pair<std::uint32_t, bool> Emplace(std::uint64_t key, std::uint32_t value) {
    if ((size_ + 1) * 5 > slots_.size() * 4)
      Resize(std::max<std::size_t>(16, slots_.size() * 3 / 2));
    Slot& slot = SlotOf(key);
    if (slot.used) return {slot.value, false};
    slot = Slot{key, value, true};
    ++size_;
    return {value, true};
  }

  // The value stored for `key`, or nullptr.
  const std::uint32_t* Find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = const_cast<KeyTable*>(this)->SlotOf(key);
    return slot.used ? &slot.value : nullptr;
  }

  void Reserve(std::size_t entries) {
    if (entries * 5 > slots_.size() * 4) Resize(entries * 5 / 4 + 1);
  }
  std::size_t size() const { return size_; }

  static std::uint64_t Pack(std::uint32_t high, std::uint32_t low) {
    return (std::uint64_t{high} << 32) | low;
  }
  // 64-bit FNV-1a of `text`, mixed.
  static std::uint64_t Hash(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    return Mix(h);
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
    bool used = false;
  };

  static std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }

  // The slot holding `key`, or the empty slot where it would go. The first
  // slot tried is the mixed key scaled to the table (any size, not only
  // powers of two).
  Slot& SlotOf(std::uint64_t key) {
    __extension__ using Wide = unsigned __int128;
    const std::size_t size = slots_.size();
    std::size_t i = static_cast<std::size_t>((Wide{Mix(key)} * size) >> 64);
    for (;; i = i + 1 == size ? 0 : i + 1) {
      Slot& slot = slots_[i];
      if (!slot.used || slot.key == key) return slot;
    }
  }

  void Resize(std::size_t slots) {
    std::vector<Slot> old(slots);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.used) SlotOf(slot.key) = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace cairn::oneroster
