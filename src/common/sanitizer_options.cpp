// Linked into every executable. Under LeakSanitizer (the ASan CI run),
// fontconfig keeps its caches until exit by design (cairo draws badge
// text through it); that is not a leak of ours. Unused otherwise.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
