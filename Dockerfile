# ecs-sim as a container: the simulator with the simulated runtime by default. To run tasks as
# real containers, mount the host's Docker socket (-v /var/run/docker.sock:/var/run/docker.sock)
# and the runtime switches to Docker by itself.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ECS_SIM_HOST=0.0.0.0 \
    ECS_SIM_PORT=4599
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json README.md ./
EXPOSE 4599
USER node
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4599/_sim/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli.js"]
