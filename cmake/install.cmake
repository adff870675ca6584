# Install rules and the CMake package:
#   cmake --install build --prefix /opt/tginvite
# installs bin/tginvited, bin/tginvite, include/tginvite/*.h, the static library and
# lib/cmake/tginvite/, so another project can do
#   find_package(tginvite REQUIRED)
#   target_link_libraries(app PRIVATE tginvite::client)
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
