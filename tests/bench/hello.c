/* The start-up baseline: a C hello world built with the same compiler and flags as shadowctl. */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
