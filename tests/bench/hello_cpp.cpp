// A second start-up baseline: the C++ runtime alone (iostream), built as shadowctl is.
#include <iostream>

int main() {
  std::cout << "hello\n";
  return 0;
}
