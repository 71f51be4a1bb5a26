# Test-only route for a Debian test host (which has no network) to the S3 server on the controller: listens on
# 127.0.0.1:PORT inside the container and forwards each connection to a Unix socket in the bind-mounted directory,
# whose other end (UnixSocketToTcpBridge) connects to 127.0.0.1:PORT on the controller. Same port on both sides, so
# a presigned URL names the address the host uses and its signed Host header matches. Usage: tcp-to-unix.py PORT SOCKET
import asyncio
import sys

PORT = int(sys.argv[1])
SOCKET = sys.argv[2]


async def pump(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:
        writer.close()


async def connection(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_unix_connection(SOCKET)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, server_writer), pump(server_reader, client_writer))
    client_writer.close()
    server_writer.close()


async def main():
    server = await asyncio.start_server(connection, "127.0.0.1", PORT)
    async with server:
        await server.serve_forever()


asyncio.run(main())
