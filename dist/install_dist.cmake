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
configure_file(${RENDERQ_DIST_SOURCE}/systemd/user/renderq.service.in ${RENDERQ_DIST_STAGE}/user/renderq.service @ONLY)
configure_file(${RENDERQ_DIST_SOURCE}/systemd/system/renderq.service.in ${RENDERQ_DIST_STAGE}/system/renderq.service @ONLY)
file(INSTALL ${RENDERQ_DIST_STAGE}/user/renderq.service DESTINATION "${prefix}/lib/systemd/user")
file(INSTALL ${RENDERQ_DIST_STAGE}/system/renderq.service DESTINATION "${prefix}/lib/systemd/system")
file(INSTALL ${RENDERQ_DIST_SOURCE}/config.toml DESTINATION "${SYSCONFDIR}/renderq")
