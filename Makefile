# Shortcuts for the common tasks; each is one npm or docker command you can also run directly.
IMAGE ?= chronotrack:latest
COMPOSE ?= docker-compose

.PHONY: dev build run test lint docker-build docker-run compose-up compose-down smoke

dev: ## serve from source, reloading on change
	npm run dev

build: ## compile to dist/
	npm run build

run: build ## serve the compiled app
	node dist/functions/node.js

test: ## every test
	npm test

lint: ## eslint + prettier + typecheck
	npm run lint
	npm run typecheck

docker-build: ## build the production image
	docker build -t $(IMAGE) .

docker-run: docker-build ## run the image with a named volume on port 3000
	docker run --rm -it -p 3000:3000 -v chronotrack-data:/data $(IMAGE)

compose-up: ## build and start with docker-compose (detached)
	$(COMPOSE) up --build -d

compose-down: ## stop and remove the compose services (the volume stays)
	$(COMPOSE) down

smoke: ## build the image and smoke-test it (scripts/smoke.sh)
	bash scripts/smoke.sh
