module example.com/broken

go 1.22

// Required but imported by no package: go mod tidy would remove it (mod-tidy).
require github.com/google/uuid v1.6.0
