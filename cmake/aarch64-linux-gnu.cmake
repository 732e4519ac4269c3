# aarch64-linux-gnu.cmake: cross-compiling for 64-bit Raspberry Pi OS
# (Debian 12, arm64) from an amd64 Debian 12 with Debian's multiarch
# packages: gcc-aarch64-linux-gnu and the :arm64 -dev packages (set up by
# scripts/cross-arm64). Test suites run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config sees the arm64 .pc files only (libunibreak-dev cannot sit
# beside its amd64 twin: scripts/cross-arm64 unpacks it under
# build/arm64-extra and names that folder in WAYMARK_ARM64_EXTRA)
set(WAYMARK_ARM64_EXTRA "$ENV{WAYMARK_ARM64_EXTRA}" CACHE PATH "unpacked arm64 -dev packages")
set(pc /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
if(WAYMARK_ARM64_EXTRA)
  set(pc ${WAYMARK_ARM64_EXTRA}/usr/lib/pkgconfig:${pc})
endif()
set(ENV{PKG_CONFIG_LIBDIR} ${pc})
set(ENV{PKG_CONFIG_PATH} "")

# the tests run under qemu-user (no binfmt_misc needed)
find_program(WAYMARK_QEMU NAMES qemu-aarch64-static qemu-aarch64)
if(WAYMARK_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${WAYMARK_QEMU})
endif()

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
