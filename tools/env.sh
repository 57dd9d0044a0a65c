# Sourced by the build scripts. Debian's emcc needs its node modules (acorn) on
# NODE_PATH; and a private cache keeps the system one untouched.
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
