# Packaging.cmake: what the Debian package adds to `cmake --install` (the
# systemd units, the USB udev rule and mount unit, the fleet's alert rules,
# the documentation) and CPack's DEB generator (scripts/package builds
# waymark_<version>_amd64.deb and _arm64.deb). Configure with
# -DCMAKE_INSTALL_PREFIX=/usr so the compiled-in paths are the package's:
# /etc/waymark/waymark.conf (a conffile) and /usr/share/waymark/content.
include(GNUInstallDirs)

set(WAYMARK_DEPLOY ${PROJECT_SOURCE_DIR}/kiosk/deploy)
install(FILES ${WAYMARK_DEPLOY}/waymark.service ${WAYMARK_DEPLOY}/waymark-status.service
  ${WAYMARK_DEPLOY}/waymark-status.timer ${WAYMARK_DEPLOY}/waymark-usb@.service
  DESTINATION lib/systemd/system COMPONENT deploy)
install(FILES ${WAYMARK_DEPLOY}/99-waymark-usb.rules DESTINATION lib/udev/rules.d COMPONENT deploy)
install(FILES ${WAYMARK_DEPLOY}/alerts.yml ${WAYMARK_DEPLOY}/alerts_test.yml
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT deploy)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT deploy)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT deploy)
# Debian wants the changelog and manual page compressed, reproducibly
find_program(WAYMARK_GZIP gzip)
if(WAYMARK_GZIP)
  set(gz ${CMAKE_BINARY_DIR}/packaging)
  file(MAKE_DIRECTORY ${gz})
  add_custom_command(OUTPUT ${gz}/changelog.gz ${gz}/waymark.1.gz
    COMMAND ${WAYMARK_GZIP} -9nc ${PROJECT_SOURCE_DIR}/packaging/changelog > ${gz}/changelog.gz
    COMMAND ${WAYMARK_GZIP} -9nc ${PROJECT_SOURCE_DIR}/packaging/waymark.1 > ${gz}/waymark.1.gz
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog ${PROJECT_SOURCE_DIR}/packaging/waymark.1)
  add_custom_target(waymark_package_docs ALL DEPENDS ${gz}/changelog.gz ${gz}/waymark.1.gz)
  install(FILES ${gz}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT deploy)
  install(FILES ${gz}/waymark.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT deploy)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME waymark)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Waymark maintainers <waymark@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "firmware for touchscreen information booths")
# after the synopsis (the summary above); CPack indents it, "." is a blank line
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Waymark runs a touchscreen information booth at a humanitarian service
point: services, opening hours and directions in the visitor's language
(any script, right to left too), printed referral slips, content updated
from signed bundles on a USB stick, and a maintenance mode behind a PIN.
.
The package runs the booth as the system user waymark on tty1 (KMSDRM,
no desktop) through waymark.service, and writes its status for
node_exporter every minute (waymark-status.timer).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/waymark")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|amd64)$")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
endif()
# Written out rather than dpkg-shlibdeps, so the arm64 package built here
# gets the same list: the libraries of Debian 12 / Raspberry Pi OS 12.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.36), libsdl2-2.0-0 (>= 2.26), libfreetype6 (>= 2.12), \
libharfbuzz0b (>= 6.0), libfribidi0 (>= 1.0), libunibreak1 (>= 1.1), libcjson1 (>= 1.7), \
libpng16-16 (>= 1.6), libsodium23 (>= 1.0.18), libarchive13 (>= 3.6), libqrencode4 (>= 4.1), \
libsystemd0 (>= 252), fonts-noto-core, adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/postinst
  ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm
  ${PROJECT_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/deb)
include(CPack)
