// The executable: everything lives in the library that the tests link too.
#include <iostream>

#include "cli/app.h"
#include "platform/platform.h"

int main(int argc, char** argv) {
  using namespace shadowctl;
  session::CancelToken cancel;
  platform::Console console(cancel);
  // The VSS entry point goes before the environment: its COM objects are released and
  // vssapi.dll is freed while everything else is still in place.
  auto environment = platform::make_environment();
  auto vss = platform::make_vss_api();
  const int code =
      cli::run(platform::utf8_arguments(argc, argv),
               {std::cout, std::cerr, console.color_allowed(), console.stderr_is_terminal(),
                &std::cin, console.stdin_is_terminal() && console.stderr_is_terminal(),
                platform::utf16_arguments(), platform::open_log_file},
               {*environment, *vss}, cancel);
  vss.reset();
  return code;
}
