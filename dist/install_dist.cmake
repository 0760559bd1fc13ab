# Runs at install time (cmake --install, cpack), when CMAKE_INSTALL_PREFIX is
# the final prefix: the units and the system config name the real paths of
# the binary and of the config file, whatever prefix the build was set up for.
# Expects RENDERQ_DIST_SOURCE and RENDERQ_DIST_STAGE (set by dist/CMakeLists.txt).
set(prefix "${CMAKE_INSTALL_PREFIX}")
# FHS: a package in /usr keeps its configuration in /etc; /usr/local in /usr/local/etc.
if(prefix STREQUAL "/usr")
  set(SYSCONFDIR "/etc")
else()
  set(SYSCONFDIR "${prefix}/etc")
endif()
set(BINDIR "${prefix}/bin")
# Every unit of dist/systemd/{system,user}: NAME.in is configured (@BINDIR@,
# @SYSCONFDIR@) to NAME, other files (timers) are copied as they are.
foreach(scope system user)
  set(d "${RENDERQ_DIST_SOURCE}/systemd/${scope}")
  file(GLOB units RELATIVE "${d}" "${d}/*.service" "${d}/*.service.in" "${d}/*.timer" "${d}/*.timer.in")
  list(SORT units)
  foreach(unit IN LISTS units)
    string(REGEX REPLACE "\\.in$" "" name "${unit}")
    configure_file(${RENDERQ_DIST_SOURCE}/systemd/${scope}/${unit} ${RENDERQ_DIST_STAGE}/${scope}/${name} @ONLY)
    file(INSTALL ${RENDERQ_DIST_STAGE}/${scope}/${name} DESTINATION "${prefix}/lib/systemd/${scope}")
  endforeach()
endforeach()
file(INSTALL ${RENDERQ_DIST_SOURCE}/config.toml DESTINATION "${SYSCONFDIR}/renderq")
