#include "toolkit/instrument.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(InstrumentTest, EveryBundledFileParses) {
  for (const BundledInstrumentFile& file : BundledInstrumentFiles()) {
    auto parsed = ParseInstrument(file.json, file.file_name);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  }
  EXPECT_EQ(BundledInstruments().size(), BundledInstrumentFiles().size());
}

}  // namespace
}  // namespace cairn
