// Tests that check what an export zipped (a OneRoster set, an XLSX
// workbook) read it back with libarchive: entry name -> bytes. A zip the
// library cannot read fails the test.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace cairn::testing {

inline std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> files;
  std::unique_ptr<struct archive, decltype(&archive_read_free)> zip(archive_read_new(),
                                                                    archive_read_free);
  archive_read_support_format_zip(zip.get());
  if (archive_read_open_memory(zip.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    ADD_FAILURE() << "not a zip: " << archive_error_string(zip.get());
    return files;
  }
  struct archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(zip.get(), &entry)) == ARCHIVE_OK) {
    std::string content;
    char buffer[16384];
    la_ssize_t n = 0;
    while ((n = archive_read_data(zip.get(), buffer, sizeof buffer)) > 0) {
      content.append(buffer, static_cast<std::size_t>(n));
    }
    if (n < 0) ADD_FAILURE() << "cannot read " << archive_entry_pathname(entry);
    files[archive_entry_pathname(entry)] = std::move(content);
  }
  if (rc != ARCHIVE_EOF) ADD_FAILURE() << "zip ends early: " << archive_error_string(zip.get());
  return files;
}

}  // namespace cairn::testing
