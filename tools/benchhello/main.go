// Command benchhello is the baseline for scripts/bench-me.sh: the cheapest
// useful Go HTTP server, answering "hello" to every request. Measuring it in
// the same run and on the same machine as GET /api/v1/me turns a raw
// requests-per-second number, which depends on the hardware, into a ratio
// that does not.
//
// It uses the standard library only, with no middleware and no logging, so
// that what it costs is the Go HTTP server itself (parsing, net poller,
// writing the response) and nothing else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address; port 0 picks a free port")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("benchhello: listen on %s: %v", *addr, err)
	}
	// The bound address on stdout lets a script use port 0 and learn the port.
	fmt.Println(ln.Addr().String())

	body := []byte("hello")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("benchhello: %v", err)
	}
}
