#!/bin/sh
echo "hello from molecule $RUNTIME_VERSION"
