# gatehouse GitHub App: a small image that runs as an unprivileged user.
# Build: docker build -t gatehouse .   Run: docker run --env-file .env -p 3000:3000 gatehouse

FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:22-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/lib ./lib
COPY --chown=node:node package.json app.yml ./
# The image holds no secret: APP_ID, PRIVATE_KEY and WEBHOOK_SECRET come from the environment.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD wget -qO- http://127.0.0.1:3000/ping || exit 1
CMD ["node_modules/.bin/probot", "run", "./lib/index.js"]
