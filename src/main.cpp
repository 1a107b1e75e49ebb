// The executable: everything lives in the library that the tests link too.
#include <iostream>

#include "cli/app.h"
#include "platform/platform.h"

int main(int argc, char** argv) {
  using namespace shadowctl;
  session::CancelToken cancel;
  platform::Console console(cancel);
  auto backend = platform::make_system_backend();
  return cli::run(platform::utf8_arguments(argc, argv),
                  {std::cout, std::cerr, console.color_allowed()}, *backend, cancel);
}
