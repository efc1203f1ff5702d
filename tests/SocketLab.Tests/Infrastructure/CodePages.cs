using System.Text;

namespace SocketLab.Tests.Infrastructure;

public static class CodePages
{
    static CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gbk = Encoding.GetEncoding(936);
    }

    public static Encoding Gbk { get; }
}
