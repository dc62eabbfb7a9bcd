<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Pm::Ui::MainWindow</name>
    <message>
        <source>Payment Manager</source>
        <translation>Payment Manager</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Nom du produit</translation>
    </message>
    <message>
        <source>Connects your core banking system to a Mojaloop real-time payments hub.</source>
        <translation>Relie votre système bancaire central à un hub de paiements instantanés Mojaloop.</translation>
    </message>
    <message>
        <source>No environment connected</source>
        <translation>Aucun environnement connecté</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Payment Manager</source>
        <translation>À &amp;propos de Payment Manager</translation>
    </message>
    <message>
        <source>About Payment Manager</source>
        <translation>À propos de Payment Manager</translation>
    </message>
    <message>
        <source>Payment Manager %1
Connects a DFSP to a Mojaloop hub.</source>
        <translation>Payment Manager %1
Relie un DFSP à un hub Mojaloop.</translation>
    </message>
</context>
</TS>
