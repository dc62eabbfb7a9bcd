<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Pm::Ui::MainWindow</name>
    <message>
        <source>Payment Manager</source>
        <translation>Payment Manager</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Nombre del producto</translation>
    </message>
    <message>
        <source>Connects your core banking system to a Mojaloop real-time payments hub.</source>
        <translation>Conecta su sistema bancario central con un hub de pagos en tiempo real Mojaloop.</translation>
    </message>
    <message>
        <source>No environment connected</source>
        <translation>Ningún entorno conectado</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About Payment Manager</source>
        <translation>&amp;Acerca de Payment Manager</translation>
    </message>
    <message>
        <source>About Payment Manager</source>
        <translation>Acerca de Payment Manager</translation>
    </message>
    <message>
        <source>Payment Manager %1
Connects a DFSP to a Mojaloop hub.</source>
        <translation>Payment Manager %1
Conecta un DFSP con un hub Mojaloop.</translation>
    </message>
</context>
</TS>
