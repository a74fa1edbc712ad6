module github.com/devsecrets/devsecrets/shims/go

go 1.21
