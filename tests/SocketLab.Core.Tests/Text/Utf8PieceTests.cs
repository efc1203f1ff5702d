using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public class Utf8PieceTests
{
    private static readonly byte[] Ni = Encoding.UTF8.GetBytes("你"); // E4 BD A0

    [Fact]
    public void Whole_characters_are_valid()
    {
        Assert.Equal(Utf8PieceKind.Valid, Utf8Piece.Classify(Encoding.UTF8.GetBytes("hello 你好，掌控板 😀")));
        Assert.Equal(Utf8PieceKind.Valid, Utf8Piece.Classify([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_piece_ending_inside_a_character_is_split(int bytesOfIt)
    {
        byte[] piece = [.. "abc"u8, .. Ni.AsSpan(0, bytesOfIt)];
        Assert.Equal(Utf8PieceKind.SplitAtEnd, Utf8Piece.Classify(piece));
    }

    [Fact]
    public void The_rest_of_a_split_character_at_the_start_is_invalid_on_its_own()
    {
        // The board never gets here: decode() already raised on the piece before.
        Assert.Equal(Utf8PieceKind.Invalid, Utf8Piece.Classify([.. Ni.AsSpan(1), .. "abc"u8]));
    }

    [Fact]
    public void Gbk_text_is_invalid()
    {
        byte[] gbk = [0xC4, 0xE3, 0xBA, 0xC3]; // 你好 in GBK
        Assert.Equal(Utf8PieceKind.Invalid, Utf8Piece.Classify(gbk));
        Assert.Equal(Utf8PieceKind.Invalid, Utf8Piece.Classify([.. "ok"u8, 0xFF]));
    }
}
