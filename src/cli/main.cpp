#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) { return cairn::RunCli(argc, argv, std::cout, std::cerr); }
