# Install rules and the CMake package:
#   cmake --install build --prefix /opt/tginvite
# installs bin/tginvited, bin/tginvite, include/tginvite/*.h, the static library and
# lib/cmake/tginvite/, so another project can do
#   find_package(tginvite REQUIRED)
#   target_link_libraries(app PRIVATE tginvite::client)
# and, for running tginvited as a service: the man pages tginvited(8) and tginvite(1) (made from
# --help at build time), lib/systemd/system/tginvited.service and its options file
# etc/default/tginvited (/etc/default/tginvited with --prefix /usr).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TGINVITE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tginvite)

install(TARGETS tginvite_client EXPORT tginviteTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tginvite
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(TARGETS tginvited tginvite_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Man pages, generated from each program's --help by cmake/manpage.cmake whenever it is rebuilt.
set(TGINVITE_MAN_DIR ${CMAKE_BINARY_DIR}/man)
function(tginvite_man_page target name section summary)
  set(page ${TGINVITE_MAN_DIR}/${name}.${section})
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TGINVITE_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> -DNAME=${name}
            -DSECTION=${section} -DSUMMARY=${summary} -DOUTPUT=${page}
            -P ${PROJECT_SOURCE_DIR}/cmake/manpage.cmake
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/manpage.cmake
    COMMENT "Generating the man page ${name}(${section}) from --help"
    VERBATIM)
  add_custom_target(${name}_man ALL DEPENDS ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endfunction()
tginvite_man_page(tginvited tginvited 8
  "a self-hosted Telegram Bot API server for invite links, membership and messages")
tginvite_man_page(tginvite_cli tginvite 1
  "call the Telegram Bot API's invite-link methods on Telegram or a tginvited")

# The systemd unit, with this prefix's paths, and the options file it reads. Units go to
# lib/systemd/system under the prefix (systemd looks in /usr/local/lib/systemd/system too).
set(TGINVITE_SYSTEMD_UNIT_DIR lib/systemd/system CACHE STRING
    "Where tginvited.service is installed, relative to the prefix")
set(TGINVITE_ENV_FILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default/tginvited)
configure_file(${PROJECT_SOURCE_DIR}/packaging/tginvited.service.in
  ${CMAKE_BINARY_DIR}/packaging/tginvited.service @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/packaging/tginvited.service
  DESTINATION ${TGINVITE_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tginvited.env
  DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/default RENAME tginvited)

install(EXPORT tginviteTargets NAMESPACE tginvite:: DESTINATION ${TGINVITE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/tginviteConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tginviteConfig.cmake
  INSTALL_DESTINATION ${TGINVITE_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tginviteConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/tginviteConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/tginviteConfigVersion.cmake
  DESTINATION ${TGINVITE_CMAKE_DIR})

# The package test: installs this build into a temporary prefix, builds examples/ on its own
# against it, and runs the installed tginvited and the example together
# (tests/package/check_package.sh). Not under sanitizers or the fuzz build: the standalone build
# has none.
if(TGINVITE_TESTS AND NOT TGINVITE_SANITIZE AND NOT TGINVITE_FUZZ)
  find_program(TGINVITE_BASH bash REQUIRED)
  add_test(NAME package_install
    COMMAND ${TGINVITE_BASH} ${PROJECT_SOURCE_DIR}/tests/package/check_package.sh
            ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_COMMAND} "${CMAKE_GENERATOR}"
            ${CMAKE_CXX_COMPILER})
  set_tests_properties(package_install PROPERTIES TIMEOUT 600)
endif()
