#!/bin/bash
source /work/main/scripts/jdk.sh
a=$($JAVA_HOME/bin/jcmd $1 VM.native_memory summary | grep -A1 "Arena Chunk" | grep -o "committed=[0-9]*KB" | head -1)
echo "AT_READY_ARENA $a RSS $(grep VmRSS /proc/$1/status)"
sleep 12
a=$($JAVA_HOME/bin/jcmd $1 VM.native_memory summary | grep -A1 "Arena Chunk" | grep -o "committed=[0-9]*KB" | head -1)
echo "LATER_ARENA $a RSS $(grep VmRSS /proc/$1/status)"
