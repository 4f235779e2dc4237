#!/bin/sh
# Entry point of the ecs-sim image. It starts as root only to find out who may use the mounted
# Docker socket, then runs the simulator as the unprivileged `node` user with the socket's group
# added, so `-v /var/run/docker.sock:/var/run/docker.sock` works whatever group id the host gave
# the socket. Without a socket the simulator runs with the simulated runtime.
set -eu

socket="${ECS_SIM_DOCKER_SOCKET:-/var/run/docker.sock}"
run_as="${ECS_SIM_RUN_AS:-node}"
set -- node /app/dist/cli.js "$@"

if [ "$(id -u)" != "0" ]; then
  # Started with --user: nothing to drop, and the socket's group is the caller's business.
  command="$*"
elif [ -S "$socket" ]; then
  gid="$(stat -c %g "$socket")"
  if [ "$gid" = "0" ]; then
    # A root-owned socket (Docker Desktop, rootful defaults): only root can use it.
    echo "ecs-sim: $socket belongs to group 0; running as root so the Docker runtime can use it" >&2
    command="$*"
  else
    set -- setpriv --reuid="$run_as" --regid="$run_as" --groups="$gid" --inh-caps=-all "$@"
    command="$*"
  fi
else
  set -- setpriv --reuid="$run_as" --regid="$run_as" --init-groups --inh-caps=-all "$@"
  command="$*"
fi

if [ -n "${ECS_SIM_ENTRYPOINT_DRY_RUN:-}" ]; then
  echo "$command"
  exit 0
fi
exec "$@"
