#include "credentials/nquads.h"

#include <gtest/gtest.h>

namespace cairn::rdf {
namespace {

TEST(NQuadsTest, ParsesAllTermKinds) {
  auto parsed = ParseNQuads(
      "# comment\n"
      "<http://ex/s> <http://ex/p> \"v\"@en-US <http://ex/g> .\n"
      "_:b0 <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
      "\n"
      "_:b0 <http://ex/p> _:b1 _:g .  # trailing comment\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 3u);
  const Quad& first = (*parsed)[0];
  EXPECT_EQ(first.object.language, "en-US");
  EXPECT_EQ(first.object.datatype, kRdfLangString);
  EXPECT_EQ(first.graph, Term::Iri("http://ex/g"));
  EXPECT_EQ((*parsed)[1].object.datatype, "http://www.w3.org/2001/XMLSchema#integer");
  EXPECT_EQ((*parsed)[2].graph, Term::Blank("g"));
}

TEST(NQuadsTest, EscapingRoundTrip) {
  std::string value = "q\" b\\ n\n r\r t\t b\b f\f nul";
  value.push_back('\0');
  value += "\x01\x1f\x7f \xE2\x88\x9E";
  Quad quad{Term::Iri("urn:s"), Term::Iri("urn:p"), Term::Literal(value, std::string(kXsdString)),
            Term::DefaultGraph()};
  std::string line = ToNQuad(quad);
  EXPECT_EQ(
      line,
      "<urn:s> <urn:p> \"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000\\u0001\\u001F\\u007F "
      "\xE2\x88\x9E\" .\n");
  auto parsed = ParseNQuads(line);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0], quad);
}

TEST(NQuadsTest, DecodesUcharInIrisAndLiterals) {
  auto parsed = ParseNQuads("<urn:ex:\\u0065x> <urn:p> \"\\U0001F303\\u00e9\" .\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0].subject.value, "urn:ex:ex");
  EXPECT_EQ((*parsed)[0].object.value, "\xF0\x9F\x8C\x83\xC3\xA9");
}

TEST(NQuadsTest, RejectsMalformedLinesWithLineNumber) {
  auto parsed = ParseNQuads("<urn:s> <urn:p> <urn:o> .\n<urn:s> \"lit\" <urn:o> .\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseNQuads("<urn:s> <urn:p> \"unterminated .\n").ok());
  EXPECT_FALSE(ParseNQuads("<urn:s> <urn:p> <urn:o>\n").ok());
}

// fuzz/nquads_fuzzer's round-trip check (fuzz/crashes/nquads/): what these lines
// parsed to could not be written back as N-Quads.
TEST(NQuadsTest, RejectsWhatCannotBeWrittenBack) {
  EXPECT_FALSE(ParseNQuads("_:a <urn:p> _:b.. .\n").ok());
  EXPECT_FALSE(ParseNQuads("<http://a\\u0020b> <urn:p> <urn:o> .\n").ok());
  EXPECT_FALSE(ParseNQuads("<urn:s> <urn:p\\u003E> <urn:o> .\n").ok());
  EXPECT_FALSE(ParseNQuads("<urn:s\tx> <urn:p> <urn:o> .\n").ok());
  auto dotted = ParseNQuads("_:a.b <urn:p> _:c .\n");
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ((*dotted)[0].subject.value, "a.b");
}

}  // namespace
}  // namespace cairn::rdf
