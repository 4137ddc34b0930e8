// Replays fuzz inputs through one harness without libFuzzer, so the normal
// g++ build (and its ASan + UBSan run) checks every corpus and crash input
// on each CI run. Usage: <harness>_fuzz_replay CORPUS_DIR [MORE...]; the
// first directory must hold inputs, the others (crashes/) may be absent; a
// file instead of a directory replays just that input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> InputsUnder(const std::filesystem::path& dir) {
  if (std::filesystem::is_regular_file(dir)) return {dir};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [MORE...]\n";
    return 2;
  }
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path dir = argv[i];
    if (!std::filesystem::exists(dir)) {
      if (i == 1) {
        std::cerr << "no corpus at " << dir << "\n";
        return 2;
      }
      continue;
    }
    const auto files = InputsUnder(dir);
    if (i == 1 && files.empty()) {
      std::cerr << "empty corpus at " << dir << "\n";
      return 2;
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!in.good() && !in.eof()) {
        std::cerr << "cannot read " << file << "\n";
        return 2;
      }
      // Printed first, so a crash names its input.
      std::cerr << "replay " << file.string() << " (" << bytes.size() << " bytes)\n";
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::cout << "replayed " << replayed << " inputs\n";
  return 0;
}
