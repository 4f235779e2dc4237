# ecs-sim as a container. With no Docker socket it runs the simulated runtime; with the host's
# socket mounted it runs tasks as real containers beside itself:
#   docker run --rm -p 127.0.0.1:4599:4599 ecs-sim
#   docker run --rm -p 127.0.0.1:4599:4599 -v /var/run/docker.sock:/var/run/docker.sock ecs-sim
# The entry point runs the simulator as the `node` user with the socket's group (see
# docker/entrypoint.sh); every flag after the image name goes to the simulator.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    ECS_SIM_HOST=0.0.0.0 \
    ECS_SIM_ALLOW_UNAUTHENTICATED_ADMIN=1 \
    ECS_SIM_PORT=4599
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY ui ./ui
COPY package.json README.md LICENSE* ./
COPY docker/entrypoint.sh /usr/local/bin/ecs-sim-entrypoint
EXPOSE 4599
# The port comes from the configuration, so the health check asks the one in force.
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.ECS_SIM_PORT||4599)+'/_sim/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/local/bin/ecs-sim-entrypoint"]
